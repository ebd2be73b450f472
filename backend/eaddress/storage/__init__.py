"""Storage and proof: writing a message with everything that belongs to it in one step
(writing), typed views of stored messages (records), content rules (content), the
content-addressed attachment store (blobs, downloads), the receipt chain (receipts) and its
signed proof (proof, keys)."""
