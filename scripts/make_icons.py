"""Render the app's PNG icons from their SVG sources with Debian's Chromium (run once, commit).

    .venv/bin/python scripts/make_icons.py

Sources: pwa/static/icons/icon.svg (also served as the scalable icon) and scripts/icon-sources/.
Each SVG is drawn at exactly the target size on a transparent page and screenshotted, so the
PNGs are what a browser would draw.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "pwa" / "static" / "icons"
SOURCES = ROOT / "scripts" / "icon-sources"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# output name -> (source SVG, size in px)
TARGETS: dict[str, tuple[Path, int]] = {
    "icon-192.png": (ICONS / "icon.svg", 192),
    "icon-512.png": (ICONS / "icon.svg", 512),
    "icon-maskable-512.png": (SOURCES / "icon-maskable.svg", 512),
    "badge-96.png": (SOURCES / "badge.svg", 96),
    "shortcut-mail-96.png": (SOURCES / "shortcut-mail.svg", 96),
    "shortcut-obligations-96.png": (SOURCES / "shortcut-obligations.svg", 96),
}


async def main() -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for name, (source, size) in TARGETS.items():
                page = await browser.new_page(viewport={"width": size, "height": size})
                svg = source.read_text(encoding="utf-8")
                style = "margin:0;background:transparent"
                sized = svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
                await page.set_content(f'<body style="{style}">{sized}</body>')
                await page.screenshot(path=str(ICONS / name), omit_background=True)
                await page.close()
                print(f"wrote pwa/static/icons/{name} ({size}x{size})")
        finally:
            await browser.close()


if __name__ == "__main__":
    asyncio.run(main())
