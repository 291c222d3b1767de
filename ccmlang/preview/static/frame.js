// Click to source, inside the HTML view (an iframe of the same origin).
// The document's elements carry data-src="file:line:column" (the HTML backend's source
// positions); a click tells the preview page which construct produced the element.
(function () {
  "use strict";
  var selected = null;
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    event.preventDefault(); // links in the document must not navigate the preview away
    var element = target.closest("[data-src]");
    if (selected) { selected.classList.remove("ccm-preview-selected"); }
    selected = element;
    if (!element) { return; }
    element.classList.add("ccm-preview-selected");
    window.parent.postMessage(
      { type: "ccm-source", src: element.getAttribute("data-src") }, window.location.origin
    );
  }, true);
})();
