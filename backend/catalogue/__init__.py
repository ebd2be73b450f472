"""The public catalogue: services, life situations, institutions and client service centres."""
