/* Passerelle: small progressive enhancements. Every page works without JavaScript. */
(function () {
  "use strict";

  // Buttons that need a confirmation: <button data-confirm="Sure?">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Move focus to the error summary of a form that came back with errors.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }

  // Commune fields: suggestions from /communes/suggestions in a <datalist>.
  document.querySelectorAll("input[data-commune-autocomplete]").forEach(function (input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.setAttribute("list", list.id);
    input.after(list);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2 || /\(\d{5}\)$/.test(query)) { return; }
      timer = setTimeout(function () {
        fetch("/communes/suggestions?q=" + encodeURIComponent(query), {credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.json() : {communes: []}; })
          .then(function (data) {
            list.replaceChildren();
            data.communes.forEach(function (commune) {
              var option = document.createElement("option");
              option.value = commune.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are optional */ });
      }, 200);
    });
  });

  // Auto-submit selects marked data-autosubmit (the form keeps its button for no-JS).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();

/* Print buttons: <a data-print> (links stay usable without JavaScript via Ctrl+P). */
document.querySelectorAll("[data-print]").forEach(function (link) {
  link.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
});
