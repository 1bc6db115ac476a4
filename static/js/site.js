// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Drafts: what is typed or chosen in a journal form is kept in this browser
  // until it is saved, so a timed-out session or a closed tab loses nothing.
  // A draft belongs to the version of the text it was started from; once the
  // server has a newer version (the save went through), the draft is dropped.
  // Not dates and times: a restored booking could be sent twice.
  var TEXT_TYPES = ["text"];
  var CHOICE_TYPES = ["radio", "checkbox"];

  // The djangojs catalogue (/jsi18n/) defines these; without it, English.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, args) {
    return format.replace("%s", args[0]);
  };

  function draftKey(form) {
    return "mentorskap-draft:" + form.dataset.draft;
  }

  function fieldsOf(form, types) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name) { return false; }
      if (el.tagName === "TEXTAREA") { return types === TEXT_TYPES; }
      return el.tagName === "INPUT" && types.indexOf(el.type) >= 0;
    });
  }

  // Set when the person logs out: a save still waiting on its timer must not
  // write the draft back after the drafts were forgotten.
  var loggingOut = false;

  function saveDraft(form) {
    if (loggingOut) { return; }
    var fields = {};
    var choices = {};
    fieldsOf(form, TEXT_TYPES).forEach(function (el) { fields[el.name] = el.value; });
    fieldsOf(form, CHOICE_TYPES).forEach(function (el) {
      choices[el.name] = choices[el.name] || [];
      if (el.checked) { choices[el.name].push(el.value); }
    });
    try {
      localStorage.setItem(draftKey(form), JSON.stringify({
        version: form.dataset.draftVersion, fields: fields, choices: choices
      }));
    } catch (e) { /* storage full or disabled: the form still works */ }
  }

  // Rows added with "add a row" before the session ran out come back too.
  function addRowsFor(fields) {
    Object.keys(fields).forEach(function (name) {
      var match = /^(.+)-(\d+)-text$/.exec(name);
      if (!match || !fields[name]) { return; }
      var guard = 0;
      while (!document.getElementsByName(name).length && addRow(match[1], false) && guard < 50) { guard += 1; }
    });
  }

  // The fields restored, so the notice can name them and "discard" undo them.
  function restoreText(form, fields) {
    var restored = [];
    fieldsOf(form, TEXT_TYPES).forEach(function (el) {
      var value = fields[el.name];
      if (typeof value === "string" && value !== "" && value !== el.value && el.value === el.defaultValue) {
        el.value = value;
        restored.push(el);
      }
    });
    return restored;
  }

  function restoreChoices(form, choices) {
    var restored = [];
    var groups = {};
    fieldsOf(form, CHOICE_TYPES).forEach(function (el) {
      (groups[el.name] = groups[el.name] || []).push(el);
    });
    Object.keys(groups).forEach(function (name) {
      var wanted = choices[name];
      var group = groups[name];
      var untouched = group.every(function (el) { return el.checked === el.defaultChecked; });
      if (!Array.isArray(wanted) || !untouched) { return; }
      var changed = false;
      group.forEach(function (el) {
        var checked = wanted.indexOf(el.value) >= 0;
        if (el.checked !== checked) { el.checked = checked; changed = true; }
      });
      if (changed) { restored = restored.concat(group); }
    });
    return restored;
  }

  function textWithoutAsterisk(el) {
    var copy = el.cloneNode(true);
    copy.querySelectorAll(".asteriskField").forEach(function (star) { star.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  // What the person calls the field: the heading of a part marked
  // data-draft-label (the notes' parts, the "kom ihåg" rows), the legend of a
  // group of choices, else the field's own label.
  function labelOf(form, el) {
    var part = el.closest("[data-draft-label]");
    var heading = part && part.querySelector("legend");
    if (heading) { return textWithoutAsterisk(heading); }
    if (el.type === "radio" || el.type === "checkbox") {
      var legend = el.closest("fieldset") && el.closest("fieldset").querySelector("legend");
      if (legend) { return textWithoutAsterisk(legend); }
    }
    var label = el.id && form.querySelector('label[for="' + el.id + '"]');
    return label ? textWithoutAsterisk(label) : el.name;
  }

  function labelsOf(form, elements) {
    var labels = [];
    elements.forEach(function (el) {
      var label = labelOf(form, el);
      if (label && labels.indexOf(label) < 0) { labels.push(label); }
    });
    return labels;
  }

  // Back to what the server sent: the saved text, no draft kept.
  function discardDraft(form, restored) {
    clearTimeout(form.draftTimer);
    try { localStorage.removeItem(draftKey(form)); } catch (e) { /* ignore */ }
    restored.forEach(function (el) {
      if (el.tagName === "INPUT" && CHOICE_TYPES.indexOf(el.type) >= 0) {
        el.checked = el.defaultChecked;
      } else {
        el.value = el.defaultValue;
      }
    });
  }

  function showRestored(form, restored) {
    var notice = form.querySelector(".draft-notice");
    if (!notice) { return; }
    var text = document.createElement("span");
    text.textContent = interpolate(gettext("Restored unsaved text in: %s."), [labelsOf(form, restored).join(", ")]);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link p-0 ms-2 align-baseline";
    button.setAttribute("data-discard-draft", "");
    button.textContent = gettext("Discard the draft");
    button.addEventListener("click", function () {
      discardDraft(form, restored);
      // Say what happened where the button was, so focus is not lost.
      notice.textContent = gettext("The draft is discarded.");
      notice.setAttribute("tabindex", "-1");
      notice.focus();
    });
    notice.textContent = "";
    notice.appendChild(text);
    notice.appendChild(button);
    notice.classList.remove("d-none");
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
    var fields = draft.fields || {};
    addRowsFor(fields);
    var restored = restoreText(form, fields).concat(restoreChoices(form, draft.choices || {}));
    if (restored.length) { showRestored(form, restored); }
  }

  function setUpDrafts() {
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      restoreDraft(form);
      var save = function () {
        clearTimeout(form.draftTimer);
        form.draftTimer = setTimeout(function () { saveDraft(form); }, 300);
      };
      form.addEventListener("input", save);
      form.addEventListener("change", save);
      form.addEventListener("submit", function () { saveDraft(form); });
      // "Avbryt" means: throw away what I typed. Without this the draft came
      // back on the next visit, as if cancelling had been a pause.
      form.querySelectorAll("a[data-cancel-draft]").forEach(function (link) {
        link.addEventListener("click", function () { discardDraft(form, []); });
      });
    });
  }

  // "Lägg till": add a row to a formset without a round trip. Returns the
  // new row, or null when the list is full or not on the page.
  function addRow(prefix, focus) {
    var list = document.querySelector('[data-formset="' + prefix + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    if (!list || !total) { return null; }
    var rows = list.querySelectorAll(".formset-row");
    var index = parseInt(total.value, 10);
    if (!rows.length || (max && index >= parseInt(max.value, 10))) { return null; }
    var row = rows[rows.length - 1].cloneNode(true);
    row.querySelectorAll("input, label").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/-\d+-/, "-" + index + "-")); }
      });
      if (el.tagName === "INPUT") {
        // Clear the copied defaults too, so the new row is empty and counts as untouched.
        if (el.type === "checkbox") { el.defaultChecked = false; el.checked = false; } else { el.defaultValue = ""; el.value = ""; }
        el.classList.remove("is-invalid");
      }
    });
    row.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
    var label = row.querySelector("label.visually-hidden");
    if (label) { label.textContent = label.textContent.replace(/\d+/, String(index + 1)); }
    list.appendChild(row);
    total.value = String(index + 1);
    if (focus) { row.querySelector('input[type="text"]').focus(); }
    return row;
  }

  function setUpFormsets() {
    document.querySelectorAll("[data-add-row]").forEach(function (button) {
      var prefix = button.dataset.addRow;
      if (!document.querySelector('[data-formset="' + prefix + '"]')) { return; }
      button.addEventListener("click", function (event) {
        event.preventDefault();
        addRow(prefix, true);
      });
    });
  }

  function setUpPrint() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // After a successful save the server names the draft it has stored.
  function clearSavedDrafts() {
    document.querySelectorAll("[data-saved-draft]").forEach(function (el) {
      try { localStorage.removeItem("mentorskap-draft:" + el.dataset.savedDraft); } catch (e) { /* ignore */ }
    });
  }

  // Logging out forgets every unsaved draft: the computer may be shared.
  function forgetDraftsOnLogout() {
    document.querySelectorAll("form[data-forget-drafts]").forEach(function (form) {
      form.addEventListener("submit", function () {
        loggingOut = true;
        try {
          Object.keys(localStorage).forEach(function (key) {
            if (key.indexOf("mentorskap-draft:") === 0) { localStorage.removeItem(key); }
          });
        } catch (e) { /* storage disabled: nothing kept */ }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    clearSavedDrafts();
    forgetDraftsOnLogout();
    setUpFormsets();
    setUpDrafts();
    setUpPrint();
  });
})();
