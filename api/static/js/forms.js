/* Forms: after a refused submission, move focus to the error summary so keyboard and screen-reader
   users hear what to fix first; each message links to its field. */
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (summary && !summary.classList.contains("is-empty")) {
    summary.focus();
  }
  if (summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) { event.preventDefault(); target.focus(); target.scrollIntoView({ block: "center" }); }
    });
  }
})();
