"""The official e-address: institutions' API, mailboxes' storage, receipts, proof and events."""
