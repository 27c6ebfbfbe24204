/* 访问令牌: copy the token shown once to the clipboard (selecting it is the fallback). */
(function () {
  "use strict";
  var button = document.getElementById("copy-token");
  var status = document.getElementById("copy-status");
  if (!button) { return; }
  var input = document.getElementById(button.getAttribute("data-target"));
  function done(text) { if (status) { status.textContent = text; } }
  button.addEventListener("click", function () {
    input.focus();
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { done("已复制"); },
        function () { done("请按 Ctrl+C 复制已选中的令牌"); });
    } else {
      done(document.execCommand && document.execCommand("copy") ? "已复制" : "请按 Ctrl+C 复制已选中的令牌");
    }
  });
})();
