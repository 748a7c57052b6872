/* deckwright HTML deck: navigation, the URL fragment, the presenter view.
   No data of the deck is in this script: it reads the slides from the page. */
(function () {
  'use strict';
  var deck = document.getElementById('deck');
  var counter = document.getElementById('counter');
  var presenter = /(^\?|&)presenter(=|&|$)/.test(location.search);
  var index = 0;
  var peers = [];
  var channel = null;
  var pane = null;
  var started = Date.now();
  var counterTimer = 0;

  function slides() { return deck.querySelectorAll('section.slide'); }
  function total() { return slides().length; }
  function clamp(i) { return Math.max(0, Math.min(i, total() - 1)); }
  function size() { return { w: +deck.dataset.width, h: +deck.dataset.height }; }

  function fromHash() {
    var match = /^#(\d+)$/.exec(location.hash);
    return match ? clamp(parseInt(match[1], 10) - 1) : 0;
  }

  function send(message) {
    message.deckwright = true;
    if (channel) { try { channel.postMessage(message); } catch (e) { /* closed */ } }
    peers = peers.filter(function (peer) { return peer && !peer.closed; });
    peers.forEach(function (peer) {
      try { peer.postMessage(message, '*'); } catch (e) { /* gone */ }
    });
  }

  function receive(message) {
    if (!message || message.deckwright !== true) { return; }
    if (message.type === 'goto' && typeof message.index === 'number') {
      show(message.index, true);
    } else if (message.type === 'hello' && !presenter) {
      send({ type: 'goto', index: index });
    }
  }

  function show(i, quiet) {
    var list = slides();
    if (!list.length) { return; }
    index = clamp(i);
    for (var n = 0; n < list.length; n++) {
      var on = n === index;
      list[n].classList.toggle('current', on);
      list[n].setAttribute('aria-hidden', on ? 'false' : 'true');
    }
    var hash = '#' + (index + 1);
    if (location.hash !== hash) { history.replaceState(null, '', hash); }
    counter.textContent = (index + 1) + ' / ' + list.length;
    // The count shows for a moment after each move, then leaves the slide alone.
    counter.classList.add('shown');
    clearTimeout(counterTimer);
    counterTimer = setTimeout(function () { counter.classList.remove('shown'); }, 1500);
    document.documentElement.dataset.slide = String(index + 1);
    if (presenter) { renderPresenter(); }
    if (!quiet) { send({ type: 'goto', index: index }); }
  }

  function fit() {
    var s = size();
    var scale = Math.min(window.innerWidth / s.w, window.innerHeight / s.h);
    var x = (window.innerWidth - s.w * scale) / 2;
    var y = (window.innerHeight - s.h * scale) / 2;
    deck.style.transform = 'translate(' + x + 'px,' + y + 'px) scale(' + scale + ')';
    if (presenter) { renderPresenter(); }
  }

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = event.key;
    if (key === 'ArrowRight' || key === 'ArrowDown' || key === 'PageDown' ||
        (key === ' ' && !event.shiftKey) || key === 'Enter' || key === 'n') {
      show(index + 1);
    } else if (key === 'ArrowLeft' || key === 'ArrowUp' || key === 'PageUp' ||
               (key === ' ' && event.shiftKey) || key === 'Backspace') {
      show(index - 1);
    } else if (key === 'Home') {
      show(0);
    } else if (key === 'End') {
      show(total() - 1);
    } else if ((key === 'p' || key === 'P') && !presenter) {
      openPresenter();
    } else if (key === 'f' && document.documentElement.requestFullscreen) {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else { document.documentElement.requestFullscreen(); }
    } else {
      return;
    }
    event.preventDefault();
  }

  function openPresenter() {
    var url = location.pathname + '?presenter#' + (index + 1);
    var child = window.open(url, 'deckwright-presenter', 'width=1280,height=800');
    if (child) { peers.push(child); }
  }

  function onClick(event) {
    if (event.button !== 0 || event.target.closest('a, button')) { return; }
    var selection = window.getSelection();
    if (selection && String(selection).length) { return; }
    show(event.shiftKey ? index - 1 : index + 1);
  }

  /* The presenter view: clones of the current and next slide, scaled to their panes. */
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function buildPresenter() {
    document.body.classList.add('presenter');
    pane = element('div');
    pane.id = 'presenter';
    var bar = element('div', 'bar');
    pane.count = bar.appendChild(element('span', 'count'));
    pane.timer = bar.appendChild(element('span', 'timer'));
    var reset = bar.appendChild(element('button', '', 'Reset timer'));
    reset.addEventListener('click', function () { started = Date.now(); tick(); });
    pane.clock = bar.appendChild(element('span', 'clock'));
    pane.appendChild(bar);
    pane.current = pane.appendChild(element('div', 'stage stage-current'));
    pane.next = pane.appendChild(element('div', 'stage stage-next'));
    pane.notes = pane.appendChild(element('div', 'notes-pane'));
    pane.notes.setAttribute('aria-label', 'Speaker notes');
    document.body.appendChild(pane);
    pane.current.addEventListener('click', onClick);
    setInterval(tick, 500);
    tick();
  }

  function two(n) { return (n < 10 ? '0' : '') + n; }

  function tick() {
    if (!pane) { return; }
    var seconds = Math.floor((Date.now() - started) / 1000);
    var h = Math.floor(seconds / 3600);
    pane.timer.textContent = (h ? h + ':' : '') + two(Math.floor(seconds / 60) % 60) + ':' +
      two(seconds % 60);
    var now = new Date();
    pane.clock.textContent = two(now.getHours()) + ':' + two(now.getMinutes());
  }

  function stage(target, slide, label) {
    target.textContent = '';
    var top = 0;
    if (label) { target.appendChild(element('div', 'label', label)); top = 22; }
    if (!slide) { return; }
    var s = size();
    var copy = slide.cloneNode(true);
    copy.removeAttribute('id');
    copy.classList.add('current');
    var frame = element('div', 'frame');
    frame.appendChild(copy);
    var width = target.clientWidth, height = target.clientHeight - top;
    var scale = Math.max(0.05, Math.min(width / s.w, height / s.h));
    frame.style.left = ((width - s.w * scale) / 2) + 'px';
    frame.style.top = (top + Math.max(0, (height - s.h * scale) / 2)) + 'px';
    frame.style.transform = 'scale(' + scale + ')';
    target.appendChild(frame);
  }

  function renderPresenter() {
    if (!pane) { return; }
    var list = slides();
    pane.count.textContent = 'Slide ' + (index + 1) + ' of ' + list.length;
    stage(pane.current, list[index], '');
    stage(pane.next, list[index + 1], list[index + 1] ? 'Next' : 'End of the deck');
    pane.notes.textContent = '';
    var notes = list[index] && list[index].querySelector('.notes');
    if (notes && notes.textContent.trim()) {
      Array.prototype.forEach.call(notes.childNodes, function (node) {
        pane.notes.appendChild(node.cloneNode(true));
      });
    } else {
      pane.notes.appendChild(element('p', 'none', 'No notes for this slide.'));
    }
  }

  try {
    channel = new BroadcastChannel('deckwright:' + location.pathname);
    channel.onmessage = function (event) { receive(event.data); };
  } catch (e) { channel = null; }
  window.addEventListener('message', function (event) {
    if (event.source && peers.indexOf(event.source) < 0 && event.source !== window) {
      peers.push(event.source);
    }
    receive(event.data);
  });
  if (window.opener) { peers.push(window.opener); }

  document.addEventListener('keydown', onKey);
  deck.addEventListener('click', onClick);
  window.addEventListener('resize', fit);
  window.addEventListener('hashchange', function () { show(fromHash()); });
  if (presenter) { buildPresenter(); }
  fit();
  show(fromHash(), true);
  if (presenter) { send({ type: 'hello' }); }

  /* For `deckwright serve`: after the slides were replaced, stay on the same slide. */
  window.deckwright = {
    refresh: function () { fit(); show(index, true); },
    current: function () { return index; },
    show: function (i) { show(i); }
  };
}());
