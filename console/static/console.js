/* global window, document, fetch, setTimeout */
// Progressive enhancement: a block marked data-poll replaces itself with the fragment at that
// address until the server marks it done. Without JavaScript, the page refreshes itself instead.
(function () {
  'use strict';
  function poll(el) {
    var url = el.getAttribute('data-poll');
    if (!url) return;
    setTimeout(function () {
      fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(function (r) {
          return r.ok ? r.text() : Promise.reject(r.status);
        })
        .then(function (text) {
          var box = document.createElement('div');
          box.innerHTML = text;
          var next = box.firstElementChild;
          if (!next) return;
          el.replaceWith(next);
          poll(next);
        })
        .catch(function () {
          window.location.reload();
        });
    }, 500);
  }
  document.querySelectorAll('[data-poll]').forEach(poll);
})();
