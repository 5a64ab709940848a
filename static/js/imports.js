/* Spreadsheet imports: run the dry run step by step and follow the import, with a
   progress bar announced politely. Without JavaScript both forms post normally and
   the server answers once the whole work is done. */
(function () {
  "use strict";

  var box = document.querySelector("[data-import-progress]");
  if (!box || !window.fetch || !window.FormData) { return; }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var lastAnnounced = -1;

  function show(state) {
    box.hidden = false;
    bar.value = state.percent;
    // Announce every tenth of the way, not every poll (screen readers would queue).
    var tenth = Math.floor(state.percent / 10);
    if (tenth !== lastAnnounced || state.finished) {
      lastAnnounced = tenth;
      text.textContent = state.percent + " % – " + state.label;
    }
  }

  function postJSON(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      if (!response.ok && response.status !== 409) { throw new Error(response.status); }
      return response.json();
    });
  }

  function lock(form) {
    form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
      button.disabled = true;
    });
  }

  // The dry run: one request per step until every row is checked.
  document.querySelectorAll("form[data-import-steps]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      lock(form);
      var data = new FormData(form);
      function step() {
        postJSON(form.action, data).then(function (state) {
          show(state);
          if (state.finished) { window.location.assign(state.next); return; }
          data.delete("debut");
          step();
        }).catch(function () { form.submit(); });
      }
      step();
    });
  });

  // The import: one request (one transaction); its progress is polled meanwhile.
  document.querySelectorAll("form[data-import-follow]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      lock(form);
      var statusUrl = box.getAttribute("data-status-url");
      var timer = window.setInterval(function () {
        fetch(statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (response) { return response.json(); })
          .then(function (state) { if (!state.finished) { show(state); } })
          .catch(function () { /* the bar is only a comfort */ });
      }, 800);
      show({percent: 0, label: box.getAttribute("data-starting") || "", finished: false});
      postJSON(form.action, new FormData(form)).then(function (state) {
        window.clearInterval(timer);
        window.location.assign(state.next);
      }).catch(function () {
        window.clearInterval(timer);
        window.location.reload();
      });
    });
  });
})();
