"""Page weight: one first load of a page in Chromium (Playwright, empty cache), bytes and requests."""

from __future__ import annotations

from shopbench.common import loud
from shopbench.config import CHROMIUM, CHROMIUM_ARGS

# ------------------------------------------------------------------------------------------------ page weight


def first_load(url: str) -> dict:
    """Loads `url` once in a fresh Chromium context (empty cache) and sums what crossed the wire.

    Bytes are CDP Network.loadingFinished.encodedDataLength (headers + body as received, i.e. compressed as
    served); Playwright's request.sizes() (responseHeadersSize + responseBodySize) is kept as a cross-check.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            reqs: dict[str, dict] = {}
            hops: list[dict] = []  # redirect hops count as requests too

            def will_send(e):
                rid = e["requestId"]
                if e.get("redirectResponse") and rid in reqs:
                    old = reqs.pop(rid)
                    old["bytes"] = e["redirectResponse"].get("encodedDataLength", 0)
                    old["status"] = e["redirectResponse"].get("status")
                    hops.append(old)
                reqs[rid] = {
                    "url": e["request"]["url"],
                    "type": e.get("type", "Other"),
                    "bytes": 0,
                    "status": None,
                    "encoding": "",
                    "done": False,
                }

            def received(e):
                if e["requestId"] in reqs:
                    resp = e["response"]
                    headers = {k.lower(): v for k, v in resp.get("headers", {}).items()}
                    reqs[e["requestId"]].update(
                        status=resp.get("status"), encoding=headers.get("content-encoding", "")
                    )

            def finished(e):
                if e["requestId"] in reqs:
                    reqs[e["requestId"]].update(bytes=e.get("encodedDataLength", 0), done=True)

            def failed(e):
                if e["requestId"] in reqs:
                    reqs[e["requestId"]].update(done=True, status=f"failed: {e.get('errorText')}")

            cdp.on("Network.requestWillBeSent", will_send)
            cdp.on("Network.responseReceived", received)
            cdp.on("Network.loadingFinished", finished)
            cdp.on("Network.loadingFailed", failed)
            cdp.send("Network.enable")

            pw_requests = []
            page.on("requestfinished", lambda r: pw_requests.append(r))
            response = page.goto(url, wait_until="load", timeout=60000)
            try:
                page.wait_for_load_state("networkidle", timeout=15000)
            except Exception:
                pass
            page.wait_for_timeout(500)
            status = response.status if response else None
            pw_bytes = 0
            for r in pw_requests:
                try:
                    s = r.sizes()
                    pw_bytes += s["responseBodySize"] + s["responseHeadersSize"]
                except Exception:
                    pass
            context.close()
        finally:
            browser.close()

    items = [r for r in hops + list(reqs.values()) if r["url"].startswith(("http://", "https://"))]
    by_type: dict[str, list[int]] = {}
    for r in items:
        t = by_type.setdefault(r["type"], [0, 0])
        t[0] += 1
        t[1] += r["bytes"]
    doc = next((r for r in items if r["type"] == "Document"), None)
    return {
        "url": url,
        "status": status,
        "requests": len(items),
        "kb": sum(r["bytes"] for r in items) / 1024,
        "playwright_kb": pw_bytes / 1024,
        "playwright_requests": len(pw_requests),
        "by_type": {k: {"requests": v[0], "kb": round(v[1] / 1024, 1)} for k, v in sorted(by_type.items())},
        "html_encoding": (doc or {}).get("encoding", ""),
        "items": [
            {
                "url": r["url"],
                "type": r["type"],
                "status": r["status"],
                "bytes": r["bytes"],
                "encoding": r["encoding"],
            }
            for r in items
        ],
    }


def first_load_safe(url: str) -> dict | None:
    try:
        return first_load(url)
    except Exception as exc:
        loud(f"first-load measurement of {url} failed: {exc!r}")
        return None
