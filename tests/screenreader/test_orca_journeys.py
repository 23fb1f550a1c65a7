"""What Orca says on the screen-reader edition's main journeys (issue 14): product page read top to bottom,
add to cart, the cart, a checkout address with an error, paying with a saved card, the confirmation and a family
approval. Pages are opened by typing the URL and read with the arrow keys, as a user would.

Each journey asserts what must be said (in order) and what must not (a name said twice in a row, "blank", a
bare "row header", breadcrumb separators), and writes its transcript to transcripts/<journey>.txt: they are
kept in the repo, so a change in what is spoken shows in review (`git diff tests/screenreader/transcripts`).
With SCREENREADER_SNAPSHOTS=check a transcript that differs from the committed one fails the test.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

from storefront.checkout.state import ADDRESS_KEY

TRANSCRIPTS = Path(__file__).parent / "transcripts"
EDITION = "edition=screen-reader"
# role words Orca says on their own between objects: saying one twice is not a repeated name
ROLE_WORDS = {
    "form",
    "leaving form.",
    "leaving list.",
    "leaving table.",
    "leaving navigation.",
    "article",
    "leaving article.",
    "leaving region.",
    "list",
    "table",
    # ctrl+Home lands on the skip link, and Orca may say it again as "1" leaves it for the h1
    "Skip to main content link.",
}


# --- transcript helpers ------------------------------------------------------------------------------------


def record(name: str, shop, lines: list[str]) -> list[str]:
    """Normalise (the live server's address, order numbers and request ids vary) and keep the transcript."""
    from storefront.checkout.models import Order

    host = shop.url.split("//", 1)[1]
    numbers = list(Order.objects.values_list("number", flat=True))
    text = []
    for line in lines:
        if line.startswith(("Loading", "Finished loading")):
            continue
        line = re.sub(r"\b[0-9a-f]{8}-[0-9a-f-]{27}\b", "ID", line.replace(host, "SHOP"))
        line = re.sub(r"\d{1,2}:\d{2}(\s?[AaPp]\.?[Mm]\.?)?( [A-Z]{2,5}\b)?", "TIME", line)
        for number in numbers:
            line = line.replace(number, "ORDER")
        line = re.sub(r"\b(?=[A-Z0-9]*\d)[A-Z0-9]{10}\b", "ORDER", line)  # orders of earlier journeys
        text.append(line)
    path = TRANSCRIPTS / f"{name}.txt"
    old = path.read_text().splitlines() if path.exists() else None
    path.write_text("\n".join(text) + "\n")
    if os.environ.get("SCREENREADER_SNAPSHOTS") == "check" and old is not None and old != text:
        diff = "\n".join(difflib.unified_diff(old, text, "committed", "spoken", lineterm=""))
        pytest.fail(f"{name}: what Orca says changed:\n{diff}")
    return text


def assert_in_order(lines: list[str], expected: list[str]) -> None:
    position = 0
    for wanted in expected:
        for index in range(position, len(lines)):
            if wanted in lines[index]:
                position = index + 1
                break
        else:
            raise AssertionError(
                f"Orca never said {wanted!r} after {lines[position - 1] if position else 'the start'!r}"
                f"\n--- transcript ---\n" + "\n".join(lines)
            )


def assert_nothing_wrong(lines: list[str]) -> None:
    problems = []
    for before, after in zip(lines, lines[1:]):
        if before == after and before not in ROLE_WORDS:
            problems.append(f"said twice in a row: {before!r}")
    for line in lines:
        bare = line.strip(" .").lower()
        if bare in ("blank", "row header"):
            problems.append(f"a bare {bare!r}")
        if line.strip() in ("›", "right-pointing angle quotation mark", "greater than"):
            problems.append(f"a breadcrumb separator read out: {line!r}")
    assert not problems, "\n".join(problems) + "\n--- transcript ---\n" + "\n".join(lines)


def page_of(cdp):
    return cdp.pages[-1]


def focus(cdp, selector: str) -> None:
    """Put focus where a journey continues (a user would Tab there; the walk itself is not under test)."""
    page_of(cdp).locator(selector).first.focus()


def read_page(sr, cdp, url: str, *, stop_at: str, lines: int = 150) -> list[str]:
    """Open the page, jump to its h1 with Orca's "1" key and read on with Down (the header is the same on every
    page: the product journey reads it once)."""
    said = open_page(sr, cdp, url)
    said += sr.press("ctrl+Home", timeout=10, quiet=1.0)
    said += sr.press("1", timeout=6, quiet=0.6)
    said += sr.read_down(lines, stop_at=stop_at)
    return said


def mark_page(cdp) -> None:
    page_of(cdp).evaluate("() => { window.journeyMark = true; }")


def wait_for_page(sr, cdp, path_part: str, *, timeout: float = 30) -> None:
    """After a form is sent, wait until the browser shows the page it leads to, loaded (Orca's "Finished
    loading" can belong to an earlier load under a busy machine), then until Orca is quiet. `mark_page` before
    sending tells the old document from the new one (they can share an address)."""
    import time

    deadline = time.time() + timeout
    state = ("", "")
    while time.time() < deadline:
        try:
            state = tuple(
                page_of(cdp).evaluate(
                    "() => [window.journeyMark ? 'still the old page' : location.pathname, document.readyState]"
                )
            )
        except Exception:  # navigating: the old document went away under the call
            state = ("", "")
        if path_part in state[0] and state[1] == "complete":
            sr.settle(quiet=1.0, timeout=10)
            return
        time.sleep(0.3)
    raise AssertionError(f"the browser never reached {path_part!r} (at {state[0]!r})")


def open_page(sr, cdp, url: str) -> list[str]:
    """Type the URL as a user would; under load the address bar can drop a first key, so check where the
    browser went and type it again if needed."""
    at = ""
    for _attempt in range(3):
        said = sr.open(url)
        try:
            at = page_of(cdp).evaluate("() => location.href")  # page.url lags behind over CDP
        except Exception:  # still navigating
            sr.settle(quiet=1.5, timeout=10)
            at = page_of(cdp).evaluate("() => location.href")
        if at.split("?")[0] == url.split("?")[0]:
            return said
    raise AssertionError(f"could not open {url}: the browser is at {at}")


@pytest.fixture
def transcript(request, shop):
    """The journey's utterances (tests extend this list); written to transcripts/ even when the test fails."""
    lines: list[str] = []
    yield lines
    record(request.node.name.removeprefix("test_").replace("_", "-"), shop, lines)


# --- journeys ----------------------------------------------------------------------------------------------


def test_product_page_top_to_bottom_then_add_to_cart(screen_reader, cdp, shop, transcript):
    sr = screen_reader
    cdp.clear_cookies()
    product = shop.product
    said = transcript
    said += open_page(sr, cdp, shop(f"/product/{product.slug}/?{EDITION}"))
    # the switcher's entries are buttons of a POST form (a link must not save a preference): each says its role
    header = sr.press("ctrl+Home", timeout=10, quiet=1.0) + sr.read_down(
        12, stop_at="Cross-border push button"
    )
    assert_in_order(
        header,
        [
            "Standard push button",
            "Large text (elder) push button",
            "Screen reader push button",
            "Cross-border push button",
        ],
    )
    focus(cdp, "#main-content")
    said += header + sr.press("Down", timeout=10, quiet=0.6)
    said += sr.read_down(150, stop_at="Sign in to write a review")
    assert_in_order(
        said,
        [
            "Home link",
            "Fruit link",
            f"{product.name} link",
            f"{product.name} heading level 1",
            "Price:",
            "Quantity",
            "Add to cart push button",
            "image",
            "About this product heading level 2",
            "Reviews heading level 2",
            "How shoppers rated it",
            "Sign in to write a review link",
        ],
    )
    assert not [line for line in said if "Number of reviews for each star rating" in line], "two captions"
    # Orca's page summary, when it speaks one before the reading starts (the count is also checked in
    # tests/html/test_spoken_markup.py)
    landmarks = next((line for line in said if line.startswith("Page has")), "")
    count = re.search(r"(\d+) landmarks", landmarks)
    assert not count or int(count.group(1)) <= 10, landmarks
    # add to cart: Return on the button; the live region says what happened
    focus(cdp, "form.buy-form button[type=submit]")
    sr.settle(quiet=0.6)
    sr.spoken()
    after = sr.press_until("Return", "to your cart")
    said += ["-- Return on Add to cart --"] + after
    assert_in_order(after, [f"Added {product.name} to your cart. You now have 1."])
    assert_nothing_wrong(said)


def test_cart(screen_reader, cdp, shop, sign_in_as, transcript):
    sr = screen_reader
    from storefront.cart.models import Cart, CartLine

    product = shop.product
    cart, _ = Cart.objects.get_or_create(user=shop.user)
    CartLine.objects.update_or_create(cart=cart, product=product, defaults={"quantity": 2})
    sign_in_as(shop.user)
    said = transcript
    said += read_page(sr, cdp, shop(f"/cart/?{EDITION}"), stop_at="Go to checkout")
    assert_in_order(
        said,
        [
            "Your cart heading level 1",
            "Items in your cart",
            product.name,
            f"Quantity of {product.name}",
            "Line total:",
            "Subtotal",
            "Estimated cost, delivered to",
            "Estimated total",
            "Go to checkout link",
        ],
    )
    assert sum(f"Quantity of {product.name}" in line for line in said) == 1, "the quantity's name, twice"
    # Orca names a table as it enters it, then reads its caption line: twice is the floor for any captioned
    # table; the two regions that shared the name (three times in all) are gone
    assert sum("Estimated cost, delivered to" in line for line in said) <= 2, "the estimate's name, repeated"
    assert not [line for line in said if line.startswith("region Estimated cost")]
    assert_nothing_wrong(said)


def test_checkout_address_with_an_error(screen_reader, cdp, shop, sign_in_as, transcript):
    sr = screen_reader
    from storefront.cart.models import Cart, CartLine

    cart, _ = Cart.objects.get_or_create(user=shop.user)
    CartLine.objects.update_or_create(cart=cart, product=shop.product, defaults={"quantity": 1})
    sign_in_as(shop.user)
    said = transcript
    said += open_page(sr, cdp, shop(f"/checkout/address/?{EDITION}"))
    focus(cdp, "form.address-form button[type=submit]")
    sr.settle(quiet=0.6)
    said += ["-- Return on Save and deliver here, the new-address form empty --"]
    # the error summary takes focus and is read; no arrowing on from here (focus mode would change the
    # country select under the arrow keys)
    said += sr.press_until("Return", "There is a problem")
    # the summary is an alert: Orca reads it whole (the order of the focus chatter around it varies)
    assert [
        line
        for line in said
        if line.startswith("There is a problem")
        and "Enter the street and house number" in line
        and "Enter the city" in line
    ], said
    assert_nothing_wrong(said)


def test_pay_with_a_saved_card_and_the_confirmation(screen_reader, cdp, shop, sign_in_as, transcript):
    sr = screen_reader
    from storefront.cart.models import Cart, CartLine

    cart, _ = Cart.objects.get_or_create(user=shop.user)
    CartLine.objects.update_or_create(cart=cart, product=shop.product, defaults={"quantity": 1})
    sign_in_as(shop.user, **{ADDRESS_KEY: shop.user.addresses.first().pk})
    said = transcript
    said += read_page(sr, cdp, shop(f"/checkout/pay/?{EDITION}"), stop_at="Place order and pay")
    assert_in_order(
        said,
        ["Pay for your order heading level 1", "Total to pay", "Visa", "A new card", "Place order and pay"],
    )
    assert not [line for line in said if "Card number" in line], "new-card fields before Place order"
    focus(cdp, "form.pay-form button[type=submit]")
    sr.settle(quiet=0.6)
    said += ["-- Return on Place order and pay --"]
    mark_page(cdp)
    confirmation = sr.press_until("Return", "Finished loading", timeout=30)
    wait_for_page(sr, cdp, "/checkout/confirmation/")
    confirmation += sr.spoken()
    confirmation += sr.press("ctrl+Home", timeout=10, quiet=1.0)
    confirmation += sr.press("1", timeout=6, quiet=0.6)
    confirmation += sr.read_down(40, stop_at="Track this order")
    said += confirmation
    assert_in_order(
        confirmation,
        ["Thank you, your order is confirmed heading level 1", "What you bought", "Track this order link"],
    )
    assert_nothing_wrong(said)


def test_family_approval(screen_reader, cdp, shop, sign_in_as, make_user, make_saved_card, transcript):
    sr = screen_reader
    from storefront.checkout import placement
    from storefront.family import services

    payer = make_user("pat", first_name="Pat")
    make_saved_card(payer, is_default=True)
    invite = services.create_invite(payer=payer)
    services.accept_invite(code=invite.invite_code, beneficiary=shop.user)
    pay_request, _ = services.ask_to_pay(
        beneficiary=shop.user,
        lines=[placement.WantedLine(shop.product.pk, 1)],
        address=shop.user.addresses.first().as_snapshot(),
        note="For school",
    )
    sign_in_as(payer)
    said = transcript
    said += read_page(
        sr, cdp, shop(f"/family/requests/{pay_request.public_id}/?{EDITION}"), stop_at="Approve and pay"
    )
    assert_in_order(
        said, ["asks you to pay heading level 1", "For school", shop.product.name, "Approve and pay"]
    )
    focus(cdp, "form[action$='/approve/'] button[type=submit]")
    sr.settle(quiet=0.6)
    said += ["-- Return on Approve and pay --"]
    mark_page(cdp)
    after = sr.press_until("Return", "Finished loading", timeout=30)
    wait_for_page(sr, cdp, f"/family/requests/{pay_request.public_id}/")
    after += sr.spoken()
    after += sr.press("ctrl+Home", timeout=10, quiet=1.0)
    after += sr.press("1", timeout=6, quiet=0.6)
    after += sr.read_down(12, stop_at="Status")
    said += after
    assert [line for line in after if "paid" in line.lower() or "approved" in line.lower()], after
    assert_nothing_wrong(said)
