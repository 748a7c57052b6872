/* `deckwright serve`: swap in the new slides after every build, on the same slide,
   and show the build's problems (the lines the terminal prints) over the last good deck. */
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="deckwright-version"]');
  var shown = meta ? meta.getAttribute('content') : '';
  var loading = false;
  var wanted = '';

  function problems(lines) {
    var box = document.getElementById('problems');
    if (!lines.length) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement('pre');
      box.id = 'problems';
      box.setAttribute('role', 'alert');
      document.body.appendChild(box);
    }
    box.textContent = lines.join('\n');
  }

  function load(version) {
    if (loading) { return; }
    loading = true;
    fetch('/?v=' + encodeURIComponent(version), { cache: 'no-store' })
      .then(function (response) { return response.text(); })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, 'text/html');
        var deck = document.getElementById('deck');
        var next = fresh.getElementById('deck');
        if (!deck || !next) { return; }
        ['data-width', 'data-height', 'aria-label'].forEach(function (name) {
          deck.setAttribute(name, next.getAttribute(name) || '');
        });
        deck.replaceChildren.apply(deck, Array.prototype.map.call(
          next.childNodes, function (node) { return document.importNode(node, true); }));
        var size = document.getElementById('deck-size');
        var freshSize = fresh.getElementById('deck-size');
        if (size && freshSize) { size.textContent = freshSize.textContent; }
        document.title = fresh.title;
        var freshMeta = fresh.querySelector('meta[name="deckwright-version"]');
        shown = freshMeta ? freshMeta.getAttribute('content') : version;
        if (window.deckwright) { window.deckwright.refresh(); }
        document.documentElement.dataset.version = shown;
      })
      .catch(function () { /* the next build tries again */ })
      .then(function () {
        loading = false;
        if (wanted && wanted !== shown) { load(wanted); }
      });
  }

  var events = new EventSource('/events');
  events.addEventListener('state', function (event) {
    var state = JSON.parse(event.data);
    problems(state.problems || []);
    if (!(state.problems || []).length && state.version !== shown && state.ok) {
      wanted = state.version;
      load(state.version);
    }
  });
  document.documentElement.dataset.version = shown;
}());
