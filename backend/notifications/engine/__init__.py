"""The delivery engine: a cause becomes outbox rows (enqueue, after decide; consumer turns
domain events into notices for their recipients), workers claim them (outbox), send each on
its channel (dispatch → channels/) and record every outcome of a batch at once (delivery),
with backoff, channel health and the wake-up on commit."""
