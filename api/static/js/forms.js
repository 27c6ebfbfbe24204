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
  /* 任…免…: a concurrent post (兼任) ends no other post, so its choice of posts to end is hidden and
     disabled (disabled boxes are not sent); the server refuses ends_posts with 兼任 in any case. */
  var manner = document.getElementById("manner");
  var ending = ["field-ends_posts", "field-ends_reason"].map(function (id) { return document.getElementById(id); })
    .filter(function (el) { return el; });
  if (manner && ending.length) {
    var sync = function () {
      var concurrent = manner.value === "兼任";
      ending.forEach(function (field) {
        field.hidden = concurrent;
        field.querySelectorAll("input, select").forEach(function (input) { input.disabled = concurrent; });
      });
    };
    manner.addEventListener("change", sync);
    sync();
  }
})();

/* A select whose options depend on another field (等次 on 类别): show only the chosen kind's group.
   Without this script every group is shown and the server refuses a grade outside the kind's scale. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-depends-on]").forEach(function (select) {
    var on = document.getElementById(select.getAttribute("data-depends-on"));
    if (!on) { return; }
    var groups = Array.prototype.map.call(select.querySelectorAll("optgroup"), function (g) { return g.cloneNode(true); });
    var placeholder = select.querySelector("option[value='']");
    function show() {
      var current = select.value;
      var chosen = groups.filter(function (g) { return g.getAttribute("data-key") === on.value; });
      while (select.firstChild) { select.removeChild(select.firstChild); }
      if (placeholder) { select.appendChild(placeholder); }
      (chosen.length ? chosen : groups).forEach(function (g) { select.appendChild(g.cloneNode(true)); });
      var keep = Array.prototype.some.call(select.options, function (o) { return o.value === current && o.value !== ""; });
      select.value = keep ? current : "";
    }
    on.addEventListener("change", show);
    show();
  });
})();

/* 民主推荐: a long list of cadres is sent once, in the first row's select; the other rows copy it.
   Without this script only the first row offers the list (record further rows in another step). */
(function () {
  "use strict";
  document.querySelectorAll("select[data-options-from]").forEach(function (select) {
    var source = document.getElementById(select.getAttribute("data-options-from"));
    if (!source) { return; }
    var current = select.value;
    while (select.firstChild) { select.removeChild(select.firstChild); }
    Array.prototype.forEach.call(source.options, function (o) {
      var copy = new Option(o.text, o.value, false, o.value === current && o.value !== "");
      select.appendChild(copy);
    });
  });
})();


/* 选任纪实: choosing a case fills in its unit and post (the server checks they match in any case). */
(function () {
  "use strict";
  var select = document.querySelector("select[data-case-posts]");
  var unit = document.getElementById("unit_code");
  var post = document.getElementById("post_code");
  if (!select || !unit || !post) { return; }
  var posts = JSON.parse(select.getAttribute("data-case-posts"));
  select.addEventListener("change", function () {
    var target = posts[select.value];
    if (!target) { return; }
    var parts = target.split("/");
    unit.value = parts[0];
    unit.dispatchEvent(new Event("change"));
    post.value = parts.slice(1).join("/");
  });
})();

/* 录用/建档: the 公民身份号码 carries the birth date (digits 7–14) and the gender (digit 17: odd 男,
   even 女); once 18 characters are typed, empty or previously filled fields follow it. The server
   derives both when left empty, and R-ID refuses a number that does not agree with them. */
(function () {
  "use strict";
  var id = document.getElementById("id_number");
  var birth = document.getElementById("birth_date");
  var gender = document.getElementById("gender");
  if (!id || !birth || !gender) { return; }
  var filled = { birth: birth.value === "" ? null : undefined, gender: gender.value === "" ? null : undefined };
  id.addEventListener("input", function () {
    var text = id.value.trim();
    if (!/^\d{17}[\dX]$/.test(text)) { return; }
    var day = text.slice(6, 10) + "-" + text.slice(10, 12) + "-" + text.slice(12, 14);
    var real = new Date(day + "T00:00:00Z");
    if (!isNaN(real.getTime()) && real.toISOString().slice(0, 10) === day &&
        (birth.value === "" || birth.value === filled.birth)) {
      birth.value = day;
      filled.birth = day;
    }
    var code = parseInt(text.charAt(16), 10) % 2 === 1 ? "1" : "2";
    if (gender.value === "" || gender.value === filled.gender) {
      gender.value = code;
      filled.gender = code;
    }
  });
})();
