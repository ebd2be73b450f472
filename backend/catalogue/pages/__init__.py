"""The catalogue's public pages (server-rendered, working without JavaScript)."""
