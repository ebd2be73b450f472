"""Domain events: a transactional outbox shared by every feature.

The notification centre consumes them."""
