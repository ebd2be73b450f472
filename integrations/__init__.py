"""What the product talks to outside itself: `registries/` (production clients of the state
registries) and `devstack/` (development stand-ins for them and for the identity provider,
which no production module imports). `_authlib.py` is shared by the registry clients and the
login's OpenID Connect client."""
