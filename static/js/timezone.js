// Offers the browser's time zone to the shop (progressive enhancement): when no zone was chosen yet, the
// browser's IANA zone is stored in the "tz" cookie, so the next page shows times in it. A zone the shopper
// chose (the cookie exists) is never replaced. Without JavaScript the shop uses the destination's zone.
(function () {
  "use strict";
  if (/(?:^|;\s*)tz=/.test(document.cookie)) return;
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone || !/^[A-Za-z_]+(?:\/[A-Za-z0-9_+\-]+)+$/.test(zone)) return;
  document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax" +
    (location.protocol === "https:" ? "; secure" : "");
})();
