// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Drafts: text typed into a journal form is kept in this browser until it
  // is saved, so a timed-out session or a closed tab loses nothing. A draft
  // belongs to the version of the text it was started from; once the server
  // has a newer version (the save went through), the draft is dropped.
  function draftKey(form) {
    return "mentorskap-draft:" + form.dataset.draft;
  }

  function textFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type === "text"));
    });
  }

  function saveDraft(form) {
    var fields = {};
    textFields(form).forEach(function (el) { fields[el.name] = el.value; });
    try {
      localStorage.setItem(draftKey(form), JSON.stringify({ version: form.dataset.draftVersion, fields: fields }));
    } catch (e) { /* storage full or disabled: the form still works */ }
  }

  function restoreDraft(form) {
    var raw;
    try { raw = localStorage.getItem(draftKey(form)); } catch (e) { return; }
    if (!raw) { return; }
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { return; }
    if (String(draft.version) !== String(form.dataset.draftVersion)) {
      localStorage.removeItem(draftKey(form));
      return;
    }
    var restored = false;
    textFields(form).forEach(function (el) {
      var value = draft.fields[el.name];
      if (typeof value === "string" && value !== "" && value !== el.value && el.value === el.defaultValue) {
        el.value = value;
        restored = true;
      }
    });
    var notice = form.querySelector(".draft-notice");
    if (restored && notice) { notice.classList.remove("d-none"); }
  }

  function setUpDrafts() {
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      restoreDraft(form);
      var timer = null;
      form.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { saveDraft(form); }, 300);
      });
      form.addEventListener("submit", function () { saveDraft(form); });
    });
  }

  // "Lägg till": add a row to a formset without a round trip.
  function setUpFormsets() {
    document.querySelectorAll("[data-add-row]").forEach(function (button) {
      var prefix = button.dataset.addRow;
      var list = document.querySelector('[data-formset="' + prefix + '"]');
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
      if (!list || !total) { return; }
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var rows = list.querySelectorAll(".formset-row");
        var index = parseInt(total.value, 10);
        if (max && index >= parseInt(max.value, 10)) { return; }
        var row = rows[rows.length - 1].cloneNode(true);
        row.querySelectorAll("input, label").forEach(function (el) {
          ["name", "id", "for"].forEach(function (attr) {
            var value = el.getAttribute(attr);
            if (value) { el.setAttribute(attr, value.replace(/-\d+-/, "-" + index + "-")); }
          });
          if (el.tagName === "INPUT") {
            if (el.type === "checkbox") { el.checked = false; } else { el.value = ""; }
            el.classList.remove("is-invalid");
          }
        });
        row.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
        row.querySelector('label.visually-hidden').textContent = row.querySelector('label.visually-hidden').textContent.replace(/\d+/, String(index + 1));
        list.appendChild(row);
        total.value = String(index + 1);
        row.querySelector('input[type="text"]').focus();
      });
    });
  }

  function setUpPrint() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpDrafts();
    setUpFormsets();
    setUpPrint();
  });
})();
