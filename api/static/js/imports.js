// 导入台账: show the chosen file's name beside the 选择文件 button (the native control's text is the browser's).
document.addEventListener("DOMContentLoaded", () => {
  const input = document.getElementById("file");
  const shown = document.getElementById("file-name");
  if (!input || !shown) return;
  input.addEventListener("change", () => {
    shown.textContent = input.files && input.files.length ? input.files[0].name : "未选择文件";
  });
});
