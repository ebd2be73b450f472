"""The workspace on a phone, 390 × 844 CSS px, in Latvian, English and Russian (issue 15):
a bottom bar of five tabs with the rest on /more, notification choices that break no word,
turning the e-address off only after a page that says what happens, and a word after logout.
Each page: no horizontal scrolling and no axe violation at all."""

from __future__ import annotations

import pytest
from playwright.async_api import Page

from tests.browser.conftest import LANGUAGES, SignIn, axe_violations, set_language
from tests.browser.mail_helpers import deliver
from tests.idp_driver import RunningIdP

PHONE = {"width": 390, "height": 844}

# Every element whose text is a few words: none may be narrower than its longest word
# (a word broken over two lines is what "E-pas/ts", "Vien/uvie/t" looked like).
BROKEN_WORDS = """(selector) => {
  const canvas = document.createElement("canvas").getContext("2d");
  const broken = [];
  for (const element of document.querySelectorAll(selector)) {
    if (!element.offsetParent) continue;  // not shown at this width
    const style = getComputedStyle(element);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    // Its own words (a badge's hidden ", 0 unread" for screen readers is not laid out).
    const text = [...element.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent).join(" ").trim();
    const longest = Math.max(0, ...text.split(/\\s+/).map((w) => canvas.measureText(w).width));
    if (element.clientWidth + 1 < longest) broken.push(text);
  }
  return broken;
}"""


async def fits_a_phone(page: Page) -> None:
    # Nothing hovered, no colour half-way through a transition while axe measures contrast.
    await page.mouse.move(0, 0)
    await page.wait_for_function(
        "() => document.getAnimations().every((a) => a.playState !== 'running')"
    )
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"
    assert await axe_violations(page) == []


@pytest.fixture
async def phone(page: Page) -> Page:
    await page.set_viewport_size(PHONE)
    return page


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_navigation_is_a_bottom_tab_bar_with_the_rest_on_more(
    phone: Page, base_url: str, sign_in: SignIn, language: str
) -> None:
    await set_language(phone.context, base_url, language)
    await sign_in()
    await phone.goto(base_url + "/notifications")
    tabs = phone.locator(".site-nav a:visible")
    assert [await t.get_attribute("href") for t in await tabs.all()] == [
        "/",
        "/mail",
        "/obligations",
        "/notifications",
        "/more",
    ]
    bar = await phone.locator(".site-nav").bounding_box()
    assert bar is not None
    assert bar["y"] + bar["height"] == PHONE["height"]  # on the bottom edge of the screen
    assert bar["height"] < PHONE["height"] / 8  # not a quarter of the screen any more
    assert await phone.evaluate(BROKEN_WORDS, ".site-nav a") == []
    assert not await phone.locator(".site-header form[action='/auth/logout']").is_visible()
    await fits_a_phone(phone)

    await phone.locator(".site-nav a[href='/more']").click()
    await phone.wait_for_url(base_url + "/more")
    assert await phone.locator(".site-nav a[href='/more']").get_attribute("aria-current") == "page"
    places = [await a.get_attribute("href") for a in await phone.locator("main nav a").all()]
    assert places == ["/settings/notifications", "/privacy", "/account"]  # no company of hers
    await fits_a_phone(phone)
    # The footer is not hidden behind the tab bar: scrolled to the end, its last link is above.
    last = phone.locator(".site-footer a").last
    await phone.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    footer_link = await last.bounding_box()
    assert footer_link is not None
    assert footer_link["y"] + footer_link["height"] <= bar["y"]

    async with phone.expect_navigation(url=lambda url: not url.endswith("/auth/logout")):
        await phone.locator("main form[action='/auth/logout'] button").click()
    if phone.url != base_url + "/":  # the identity provider's end-session page came between
        await phone.goto(base_url + "/")
    notice = phone.locator(".notice[role=status]")
    await notice.wait_for()
    assert await phone.locator("h1").count() == 1
    await fits_a_phone(phone)
    await phone.reload()  # said once
    assert await notice.count() == 0


@pytest.mark.parametrize("language", LANGUAGES)
async def test_notification_choices_fit_a_phone_without_breaking_words(
    phone: Page, base_url: str, sign_in: SignIn, language: str
) -> None:
    await set_language(phone.context, base_url, language)
    await sign_in()
    await phone.goto(base_url + "/settings/notifications")
    cards = phone.locator("fieldset.pref-card")
    assert await cards.count() >= 3
    assert await phone.evaluate(BROKEN_WORDS, ".pref-card legend, .pref-card label") == []
    box = phone.locator("#pref-OBLIGATIONS-EMAIL")
    label = phone.locator("label[for='pref-OBLIGATIONS-EMAIL']")
    assert await label.is_visible()  # each switch says its channel, not only a column head
    await label.click()
    assert not await box.is_checked()
    await fits_a_phone(phone)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_turning_the_e_address_off_asks_first_and_says_what_happens(
    phone: Page, base_url: str, sign_in: SignIn, language: str
) -> None:
    await set_language(phone.context, base_url, language)
    person = await sign_in()
    await deliver(base_url, person, "Lēmums par pabalstu")
    await phone.goto(base_url + "/mail")
    turn_off = phone.locator("a[href='/mail/deactivate']")
    assert await phone.locator("form[action='/mail/deactivate']").count() == 0
    # After the inbox in tab order: the message link comes first.
    order = await phone.evaluate(
        """() => [...document.querySelectorAll('main a')].map((a) => a.getAttribute('href'))"""
    )
    assert order.index("/mail/deactivate") > next(
        i for i, href in enumerate(order) if href.startswith("/mail/messages/")
    )
    await fits_a_phone(phone)

    await turn_off.click()
    await phone.wait_for_url(base_url + "/mail/deactivate")
    assert await phone.locator(".warning[role=note]").is_visible()  # one unread letter
    await fits_a_phone(phone)
    await phone.locator("form[action='/mail/deactivate'] button").click()
    await phone.wait_for_url("**/mail?*notice=deactivated*")
    assert await phone.locator("form[action='/mail/activate']").count() == 1


async def in_view(page: Page, selector: str) -> bool:
    return bool(
        await page.evaluate(
            """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
                return r.top > -1 && r.top < window.innerHeight; }""",
            selector,
        )
    )


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_form_comes_back_to_its_own_section_with_the_focus(
    phone: Page, base_url: str, sign_in: SignIn, language: str
) -> None:
    await set_language(phone.context, base_url, language)
    await sign_in()
    await phone.goto(base_url + "/settings/notifications")
    await phone.locator("#contact-email").fill("anna@example.test")
    await phone.locator("#contact-card-email form[action*='/save'] button").click()
    await phone.wait_for_url("**/settings/notifications?*#contact-card-email")
    await phone.locator("#contact-card-email form[action*='/send'] button").click()
    await phone.wait_for_url("**/settings/notifications?*contact=email*#contact-card-email")
    card = "#contact-card-email"
    await phone.wait_for_function(f"() => document.activeElement?.id === '{card[1:]}'")
    assert await phone.locator(f"{card} .notice[role=status]").is_visible()
    assert await in_view(phone, card)  # not two screens above the code field
    assert await phone.locator("main > .notice").count() == 0  # said once, where it belongs
    await phone.keyboard.press("Tab")  # the next stop is inside the card
    assert await phone.evaluate(
        f"() => document.querySelector('{card}').contains(document.activeElement)"
    )
    await fits_a_phone(phone)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_reply_and_the_archive_come_back_below_the_letter_with_the_focus(
    phone: Page, base_url: str, sign_in: SignIn, language: str
) -> None:
    """The reply form and the archive button sit below a letter and its delivery record: after
    posting, the page comes back there (not at the top), with the notice and the focus."""
    await set_language(phone.context, base_url, language)
    person = await sign_in()
    message_id = await deliver(base_url, person, "Lēmums par pabalstu")
    await phone.goto(f"{base_url}/mail/messages/{message_id}")
    await phone.locator("#reply-body").fill("Paldies, saņemts.")
    await phone.locator("#reply form button[type=submit]").click()
    await phone.wait_for_url(f"**/mail/messages/{message_id}?*#reply")
    await phone.wait_for_function("() => document.activeElement?.id === 'reply'")
    assert await phone.locator("#reply .notice[role=status]").is_visible()
    assert await in_view(phone, "#reply")
    assert await phone.locator("article .notice").count() == 0  # said once, where it belongs
    await fits_a_phone(phone)
    await phone.locator("#mail-archive form button").click()
    await phone.wait_for_url(f"**/mail/messages/{message_id}?*#mail-archive")
    await phone.wait_for_function("() => document.activeElement?.id === 'mail-archive'")
    assert await phone.locator("#mail-archive .notice[role=status]").is_visible()
    assert await in_view(phone, "#mail-archive")
    await fits_a_phone(phone)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_calendar_address_comes_with_a_webcal_link_and_a_copy_button(
    phone: Page, base_url: str, sign_in: SignIn, language: str
) -> None:
    await phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    await set_language(phone.context, base_url, language)
    await sign_in()
    await phone.goto(base_url + "/obligations")
    await phone.locator("form[action='/obligations/calendar#calendar'] button").click()
    await phone.wait_for_url("**/obligations/calendar#calendar")
    await phone.wait_for_function("() => document.activeElement?.id === 'calendar'")
    assert await in_view(phone, "#calendar")
    address = (await phone.locator("#feed-url").inner_text()).strip()
    webcal = await phone.locator("#calendar a[href^='webcal:']").get_attribute("href")
    assert webcal == "webcal://" + address.split("://", 1)[1]
    copy = phone.locator("#calendar button[data-module=copy-button]")
    await copy.click()
    await phone.locator("#calendar [data-copy-status]").filter(has_text=".").wait_for()
    assert await phone.evaluate("() => navigator.clipboard.readText()") == address
    await fits_a_phone(phone)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_missing_page_offers_the_way_on_instead_of_a_code(
    phone: Page, base_url: str, sign_in: SignIn, language: str
) -> None:
    await set_language(phone.context, base_url, language)
    await sign_in()
    answer = await phone.goto(base_url + "/no-such-page")
    assert answer is not None
    assert answer.status == 404
    links = [await a.get_attribute("href") for a in await phone.locator("main nav a").all()]
    assert links == ["/", "/mail", "/obligations", "/notifications"]
    assert "not_found" not in await phone.locator("main").inner_text()
    await fits_a_phone(phone)


async def test_the_development_persona_picker_fits_a_phone(
    phone: Page, base_url: str, idp: RunningIdP
) -> None:
    """Not the product, but every developer and tester meets it first (issue 15, item 12)."""
    await phone.goto(base_url + "/auth/login?next=/")
    await phone.wait_for_url(f"{idp.url}/**")
    assert await phone.locator("#persona-pierre").count() == 1  # the long eIDAS identifier
    await fits_a_phone(phone)
