"""Server-rendered pages, health checks, the service worker and manifest routes."""
