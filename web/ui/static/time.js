// Shows every <time datetime> of the page in the viewer's time zone, with
// its offset ("2026-11-10 19:00 +07:00"); the server's UTC text stays as
// the tooltip. Without JavaScript the page shows UTC.
(function () {
  "use strict";
  function pad(n) { return String(n).padStart(2, "0"); }
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    var d = new Date(el.getAttribute("datetime"));
    if (isNaN(d.getTime())) { return; }
    var off = -d.getTimezoneOffset();
    var sign = off < 0 ? "-" : "+";
    off = Math.abs(off);
    el.title = el.textContent;
    el.textContent = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
      pad(d.getHours()) + ":" + pad(d.getMinutes()) + " " + sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60);
  });
})();
