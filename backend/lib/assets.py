"""Static assets with content hashes: long-lived caching that never serves a stale file.

`/static/css/app.css?v=<hash>` changes whenever the file does, so browsers may cache static files
for a year. The hash of all assets together versions the service worker (a new deployment
installs a new worker and its precache).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

PWA_DIR = Path(__file__).resolve().parents[2] / "pwa"
STATIC_DIR = PWA_DIR / "static"
TEMPLATES_DIR = PWA_DIR / "templates"


@dataclass(frozen=True)
class StaticAssets:
    hashes: dict[str, str]
    version: str

    @classmethod
    def scan(cls, root: Path = STATIC_DIR) -> StaticAssets:
        hashes: dict[str, str] = {}
        overall = hashlib.sha256()
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            relative = path.relative_to(root).as_posix()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            hashes[relative] = digest
            overall.update(f"{relative}:{digest}\n".encode())
        return cls(hashes=hashes, version=overall.hexdigest()[:12])

    def url(self, relative: str) -> str:
        """The cache-busting URL of a file under pwa/static; unknown files raise KeyError."""
        return f"/static/{relative}?v={self.hashes[relative]}"
