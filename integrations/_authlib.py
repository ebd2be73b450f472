"""Authlib's httpx OAuth client, imported once for the whole project.

Authlib 1.9 prefers the `httpx2` package and warns at import when it falls back to httpx. We use
httpx everywhere (one HTTP library; Litestar and our tests speak it too), and the fallback is
supported, so the warning is silenced here and nowhere else. Authlib installs an "always" filter
for its warning class on import, so ours goes in front of it afterwards.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    from authlib.deprecate import AuthlibDeprecationWarning

    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.common.errors import AuthlibBaseError
    from authlib.integrations.httpx_client import AsyncOAuth2Client

__all__ = ["AsyncOAuth2Client", "AuthlibBaseError"]
