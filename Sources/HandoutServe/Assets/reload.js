// Served by `handout serve` only, and added only to the pages it sends: Output/ never holds it.
// The page asks the server whether it changed, with a picture, since the site's policy lets a
// page load pictures from its own server and nothing else. The answer waits until the page, or
// a stylesheet, script or picture it loads, has changed (a picture 2 pixels wide: reload) or
// 20 seconds have passed (1 pixel: ask again). A page in a hidden tab does not ask, so it holds
// no connection; it asks at once when it is shown again.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) { return; }
  var page = script.getAttribute('data-page');
  var version = script.getAttribute('data-version');
  var base = script.getAttribute('src').replace(/reload\.js$/, '');
  var asking = null;
  var wait = 1000;

  function ask() {
    if (asking || document.hidden) { return; }
    var picture = new Image();
    asking = picture;
    picture.onload = function () {
      if (asking !== picture) { return; }
      asking = null;
      wait = 1000;
      if (picture.naturalWidth === 2) { location.reload(); } else { ask(); }
    };
    picture.onerror = function () {
      if (asking !== picture) { return; }
      asking = null;
      // The server stopped, or is starting again: ask less often until it answers.
      setTimeout(ask, wait);
      wait = Math.min(wait * 2, 10000);
    };
    picture.src = base + 'changes?page=' + encodeURIComponent(page) + '&v=' + encodeURIComponent(version) +
      '&t=' + Date.now();
  }

  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) { ask(); return; }
    if (asking) {
      var picture = asking;
      asking = null;
      picture.src = '';
    }
  });

  // A bar with the way to the plan editor (and to this plan in it); never printed.
  var bar = document.createElement('nav');
  bar.className = 'handout-serve-bar';
  bar.setAttribute('aria-label', script.getAttribute('data-toolbar-label'));
  function link(href, text) {
    var a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    bar.appendChild(a);
  }
  var editor = script.getAttribute('data-editor');
  if (script.getAttribute('data-plan')) {
    link(editor + 'plan?id=' + encodeURIComponent(script.getAttribute('data-plan')), script.getAttribute('data-edit-label'));
  }
  link(editor, script.getAttribute('data-editor-label'));
  document.body.appendChild(bar);

  // Asked after the page has loaded: a question held open before would hold its load event.
  if (document.readyState === 'complete') { ask(); } else { window.addEventListener('load', ask); }
})();
