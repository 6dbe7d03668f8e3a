// Move focus to the element marked data-focus-on-load (the feedback heading or error summary),
// so screen-reader and keyboard users start where the new content is. Without JavaScript the
// page still reads in order: the heading is the first thing in <main>.
const target = document.querySelector("[data-focus-on-load]");
if (target) {
  target.focus();
}
