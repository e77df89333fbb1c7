// The plan editor of `handout serve`. The form holds a plan's values as the therapist types
// them; the server writes them as the plan file `handout new` would write, checks and builds
// that file in a scratch folder for the preview beside the form, and saves it. Every value is
// judged by the server's checker, whose messages appear beside the field they are about.
(() => {
  'use strict';
  const form = document.getElementById('plan-form');
  if (!form) { return; }
  const token = document.querySelector('meta[name="handout-token"]').content;
  const byId = (name) => document.getElementById(name);
  const statusLine = byId('editor-status');
  const problemsBox = byId('editor-problems');
  const reviewBox = byId('editor-review');
  const frame = byId('preview-frame');
  const previewNote = byId('preview-note');
  const planText = byId('plan-text');
  const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const DOSE = ['reps', 'sets', 'hold', 'daily', 'weekly'];
  const query = new URLSearchParams(location.search);

  let W = {};
  let catalog = null;
  let plan = null;
  let session = '';
  let base = '';
  let mode = '';
  let id = '';
  let choices = null;          // the protocol's own choices, for what the plan leaves to it
  let searchText = '';
  let showing = 'handout';
  let lastPreview = null;
  let announced = '';
  // Dose fields each exercise entry wrote when it was opened: kept even when they equal the
  // exercise's default, so opening and saving a plan changes nothing it did not change.
  const written = new WeakMap();

  // ---- Small helpers -------------------------------------------------------------------

  function words(key, values) {
    let text = W[key] || key;
    for (const [name, value] of Object.entries(values || {})) { text = text.split('{' + name + '}').join(String(value)); }
    return text;
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) { continue; }
      if (name === 'text') { node.textContent = value; } else if (name.startsWith('on')) { node.addEventListener(name.slice(2), value); } else { node.setAttribute(name, value === true ? '' : value); }
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) { node.append(child); }
    }
    return node;
  }

  function hidden(text) { return el('span', { class: 'visually-hidden', text }); }

  function api(path, body) {
    return fetch('../api/' + path, {
      method: body ? 'POST' : 'GET',
      headers: { 'X-Handout-Token': token, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
      credentials: 'same-origin',
      cache: 'no-store',
    }).then((response) => response.json().catch(() => ({})).then((data) => ({ status: response.status, data })));
  }

  function say(text, extra) {
    statusLine.replaceChildren(text);
    if (extra) { statusLine.append(' ', extra); }
  }

  // A field's path in the plan (`exercises.1.sets`) is its element's id, so a problem the
  // checker reports on that line finds its field.
  const idOf = (path) => 'f-' + path.replace(/\./g, '-');
  const slotOf = (path) => 'e-' + path.replace(/\./g, '-');

  function exercise(slug) { return catalog.exercises.find((item) => item.slug === slug); }
  function titleOf(list, slug) { const item = list.find((entry) => entry.slug === slug); return item ? item.title : slug; }

  function setOptional(object, key, value) {
    if (value === '' || value === null || value === undefined) { delete object[key]; } else { object[key] = value; }
  }

  // ---- Fields --------------------------------------------------------------------------

  /// A labelled field with its hint and the place for its problems.
  function field(path, label, input, hint) {
    const fieldId = idOf(path);
    input.id = fieldId;
    const described = [hint ? fieldId + '-hint' : null, slotOf(path)].filter(Boolean).join(' ');
    input.setAttribute('aria-describedby', described);
    return el('div', { class: 'field', 'data-field': path },
      el('label', { for: fieldId, text: label }),
      hint ? el('p', { class: 'hint', id: fieldId + '-hint', text: hint }) : null,
      el('p', { class: 'field-problem', id: slotOf(path), hidden: true }),
      input);
  }

  function textInput(value, onChange, attributes) {
    return el('input', Object.assign({ type: 'text', value: value || '', oninput: (event) => { onChange(event.target.value); changed(); } }, attributes || {}));
  }

  function numberInput(value, onChange, min, max) {
    return textInput(value, onChange, { type: 'number', inputmode: 'numeric', min, max, step: 1, class: 'number' });
  }

  function select(options, value, onChange) {
    const node = el('select', { onchange: (event) => onChange(event.target.value) },
      options.map(([optionValue, label]) => el('option', { value: optionValue, text: label, selected: optionValue === (value || '') })));
    return node;
  }

  /// Weekday boxes; `onChange` gets the ticked days, or undefined for none.
  function dayBoxes(path, legend, days, hint, onChange) {
    const chosen = new Set(days || []);
    const group = el('fieldset', { class: 'days', id: idOf(path), 'aria-describedby': [hint ? idOf(path) + '-hint' : null, slotOf(path)].filter(Boolean).join(' ') },
      el('legend', { text: legend }),
      hint ? el('p', { class: 'hint', id: idOf(path) + '-hint', text: hint }) : null,
      el('p', { class: 'field-problem', id: slotOf(path), hidden: true }));
    const row = el('div', { class: 'day-row' });
    for (const day of DAYS) {
      const boxId = idOf(path) + '-' + day;
      row.append(el('span', { class: 'day' },
        el('input', { type: 'checkbox', id: boxId, checked: chosen.has(day), onchange: (event) => {
          if (event.target.checked) { chosen.add(day); } else { chosen.delete(day); }
          onChange(chosen.size ? DAYS.filter((d) => chosen.has(d)) : undefined);
          changed();
        } }),
        el('label', { for: boxId, text: W['weekday_' + day] })));
    }
    group.append(row);
    return group;
  }

  function section(key, ...children) {
    const headingId = 'h-' + key;
    return el('section', { class: 'form-section', 'aria-labelledby': headingId },
      el('h2', { id: headingId, text: W[key] }), children);
  }

  function button(text, onClick, attributes) {
    return el('button', Object.assign({ type: 'button', onclick: onClick }, attributes || {}), text);
  }

  /// A list the plan may leave to its protocol (or the site): what it is now, and the button to
  /// choose this patient's own; or this patient's own, and the button to go back.
  function inheritable(key, from, describe, own, ownInitially) {
    const group = el('div', { class: 'inheritable', id: idOf(key) + '-choice' },
      el('p', { class: 'field-problem', id: slotOf(key), hidden: true }));
    if (plan[key] === undefined && from) {
      group.append(el('p', { class: 'inherited' }, el('strong', { text: from + ': ' }), describe()),
        button(W.choose_own, () => { plan[key] = ownInitially(); for (const entry of plan.exercises || []) { markWritten(entry); } render(idOf(key) + '-choice'); changed(); }));
    } else {
      group.append(own());
      if (from) { group.append(button(W.use_default, () => { delete plan[key]; render(idOf(key) + '-choice'); changed(); }, { class: 'secondary' })); }
    }
    group.tabIndex = -1;
    return group;
  }

  const fromProtocol = () => (plan.protocol && choices ? W.from_protocol : null);
  const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const list = (items) => (items && items.length ? items.join(', ') : W.inherited_none);

  // ---- The form ------------------------------------------------------------------------

  function render(focus) {
    form.replaceChildren(patientSection(), paperSection(), exercisesSection(), programsSection(), crossSection(),
      educationSection(), notesSection(), actions());
    if (focus && byId(focus)) { byId(focus).focus(); }
  }

  function inheritedHint(key, hint) {
    const value = plan.protocol && choices ? choices[key] : undefined;
    return [hint, value ? words('empty_inherits', { value }) : null].filter(Boolean).join(' ');
  }

  function patientSection() {
    const protocols = [['', W.none]].concat(catalog.protocols.map((item) => [item.slug, item.title]));
    return section('section_patient',
      field('patient', W.patient, textInput(plan.patient, (value) => { plan.patient = value; }, { autocomplete: 'off', required: true }), W.patient_hint),
      field('protocol', W.protocol, select(protocols, plan.protocol, chooseProtocol), mode === 'new' ? W.protocol_hint_new : W.protocol_hint_edit),
      field('therapist', W.therapist, textInput(plan.therapist, (value) => setOptional(plan, 'therapist', value)), inheritedHint('therapist')),
      el('div', { class: 'field-row' },
        field('start', W.start, textInput(plan.start, (value) => setOptional(plan, 'start', value), { type: 'date' }), W.start_hint),
        field('weeks', W.weeks, numberInput(plan.weeks, (value) => setOptional(plan, 'weeks', value), 1, 52), inheritedHint('weeks', W.weeks_hint))),
      field('condition', W.condition, textInput(plan.condition, (value) => setOptional(plan, 'condition', value)), inheritedHint('condition', W.condition_hint)));
  }

  /// A new plan takes the protocol's choices, as `handout new --protocol` writes them; a plan
  /// that exists only names it, and keeps what it sets itself.
  function chooseProtocol(slug) {
    if (mode === 'new' && slug) {
      const kept = { patient: plan.patient, therapist: plan.therapist, start: plan.start };
      api('protocol?slug=' + encodeURIComponent(slug)).then(({ status, data }) => {
        if (status !== 200) { say(data.error || W.could_not_reach); return; }
        plan = data;
        for (const [key, value] of Object.entries(kept)) { if (value) { plan[key] = value; } }
        loadChoices().then(() => { render(idOf('protocol')); say(words('protocol_hint_new')); changed(); });
      });
      return;
    }
    setOptional(plan, 'protocol', slug);
    loadChoices().then(() => { render(idOf('protocol')); changed(); });
  }

  function loadChoices() {
    if (!plan.protocol) { choices = null; return Promise.resolve(); }
    return api('protocol?slug=' + encodeURIComponent(plan.protocol)).then(({ status, data }) => { choices = status === 200 ? data : null; });
  }

  function paperSection() {
    const site = catalog.site;
    const defaultLanguage = (choices && choices.language) || site.language;
    const languages = [['', words('default_value', { value: defaultLanguage })]].concat(catalog.languages.map((code) => [code, code]));
    const defaultLarge = choices && choices.large_print !== undefined ? choices.large_print : site.largePrint;
    const large = [['', words('default_value', { value: defaultLarge ? W.yes : W.no })], ['true', W.yes], ['false', W.no]];
    const ruleDefault = (choices && choices.pain_rule) || site.painRule;
    const rules = [['', words('default_value', { value: ruleDefault ? titleOf(catalog.pages, ruleDefault) : W.inherited_none })]]
      .concat(catalog.pages.filter((page) => page.summary).map((page) => [page.slug, page.title]));
    const pagesFrom = fromProtocol() && choices.include_pages ? W.from_protocol : W.from_site;
    const inheritedPages = (fromProtocol() && choices.include_pages) || site.includePages;
    return section('section_paper',
      el('div', { class: 'field-row' },
        field('language', W.language, select(languages, plan.language, (value) => { setOptional(plan, 'language', value); changed(); })),
        field('large_print', W.large_print, select(large, plan.large_print === undefined ? '' : String(plan.large_print),
          (value) => { setOptional(plan, 'large_print', value === '' ? undefined : value === 'true'); changed(); }), W.large_print_hint)),
      el('fieldset', { class: 'group' }, el('legend', { text: W.include_pages }),
        el('p', { class: 'hint', text: W.include_pages_hint }),
        inheritable('include_pages', pagesFrom, () => list(inheritedPages.map((slug) => titleOf(catalog.pages, slug))),
          () => pageBoxes('include_pages'), () => clone(inheritedPages))),
      field('pain_rule', W.pain_rule, select(rules, plan.pain_rule, (value) => { setOptional(plan, 'pain_rule', value); changed(); }), W.pain_rule_hint));
  }

  function pageBoxes(key) {
    const chosen = new Set(plan[key] || []);
    return el('div', { class: 'page-boxes' }, catalog.pages.map((page) => {
      const boxId = idOf(key) + '-' + page.slug;
      return el('div', { class: 'check' },
        el('input', { type: 'checkbox', id: boxId, checked: chosen.has(page.slug), onchange: (event) => {
          if (event.target.checked) { chosen.add(page.slug); } else { chosen.delete(page.slug); }
          plan[key] = catalog.pages.map((item) => item.slug).filter((slug) => chosen.has(slug));
          changed();
        } }),
        el('label', { for: boxId, text: page.title }));
    }));
  }

  // ---- Exercises -----------------------------------------------------------------------

  function markWritten(entry) {
    if (!written.has(entry)) { written.set(entry, new Set(DOSE.filter((key) => entry[key] !== undefined))); }
  }

  function exercisesSection() {
    return section('section_exercises',
      inheritable('exercises', fromProtocol(), () => list((choices.exercises || []).map((entry) => titleOf(catalog.exercises, entry.exercise))),
        ownExercises, () => clone(choices.exercises || [])));
  }

  function ownExercises() {
    const entries = plan.exercises || (plan.exercises = []);
    const results = el('ul', { class: 'search-results', id: 'exercise-results' });
    const count = el('p', { class: 'search-count', id: 'exercise-count', 'aria-live': 'polite' });
    const search = el('input', { type: 'search', id: 'exercise-search', value: searchText, autocomplete: 'off',
      'aria-describedby': 'exercise-search-hint exercise-count', 'aria-controls': 'exercise-results',
      oninput: (event) => { searchText = event.target.value; showResults(results, count); } });
    showResults(results, count);
    return el('div', { class: 'exercises' },
      el('div', { class: 'search' },
        el('label', { for: 'exercise-search', text: W.search }),
        el('p', { class: 'hint', id: 'exercise-search-hint', text: W.search_hint }),
        search, count, results),
      entries.length ? el('ol', { class: 'entries' }, entries.map((entry, n) => el('li', {}, exerciseEntry(entry, n, entries))))
        : el('p', { class: 'hint', text: W.no_exercises }));
  }

  function showResults(results, count) {
    const words_ = searchText.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words_.length) { results.replaceChildren(); count.textContent = ''; return; }
    const found = catalog.exercises.filter((item) => {
      const text = (item.title + ' ' + item.tags.join(' ') + ' ' + item.slug).toLowerCase();
      return words_.every((word) => text.includes(word));
    });
    const shown = found.slice(0, 8);
    count.textContent = !found.length ? W.found_none : found.length > shown.length ? words('found_some', { n: found.length, shown: shown.length }) : words('found', { n: found.length });
    results.replaceChildren(...shown.map((item) => el('li', { class: 'result' },
      item.picture ? el('img', { class: 'thumb', src: '../../' + item.picture, alt: '', width: 64, height: 64 }) : el('span', { class: 'thumb' }),
      el('span', { class: 'result-text' }, el('span', { class: 'result-title', text: item.title }), el('span', { class: 'tags', text: item.tags.join(', ') })),
      button([W.add, hidden(' ' + item.title)], () => addExercise(item)))));
  }

  function addExercise(item) {
    const entry = { exercise: item.slug };
    written.set(entry, new Set());
    plan.exercises.push(entry);
    render('exercise-search');
    say(words('added', { title: item.title }));
    changed();
  }

  function exerciseEntry(entry, n, entries) {
    markWritten(entry);
    const item = exercise(entry.exercise) || { title: entry.exercise, dose: {}, sides: 'none', tags: [] };
    const path = 'exercises.' + n;
    const legendId = idOf(path) + '-legend';
    const weekly = numberInput(entry.days ? String(entry.days.length) : (entry.weekly || item.dose.weekly || ''),
      (value) => doseChanged(entry, item, 'weekly', value), 1, 7);
    weekly.disabled = Boolean(entry.days);
    const dose = DOSE.map((key) => {
      if (key === 'weekly') { return field(path + '.weekly', W.weekly, weekly, entry.days ? W.weekly_from_days : null); }
      const value = entry[key] !== undefined ? entry[key] : (item.dose[key] || '');
      const input = key === 'hold' ? textInput(value, (text) => doseChanged(entry, item, key, text), { class: 'short' })
        : numberInput(value, (text) => doseChanged(entry, item, key, text), 1, key === 'daily' ? 24 : key === 'sets' ? 100 : 1000);
      return field(path + '.' + key, W[key], input, key === 'hold' ? W.hold_hint : null);
    });
    const sides = [['', words('sides_default', { value: W['sides_' + item.sides] })],
      ['each', W.sides_each], ['left', W.sides_left], ['right', W.sides_right], ['none', W.sides_none]];
    return el('fieldset', { class: 'entry', id: idOf(path), tabindex: -1, 'aria-describedby': slotOf(path) },
      el('legend', { id: legendId },
        item.picture ? el('img', { class: 'thumb', src: '../../' + item.picture, alt: '', width: 48, height: 48 }) : null,
        words('entry', { n: n + 1, title: item.title })),
      el('p', { class: 'field-problem', id: slotOf(path), hidden: true }),
      el('p', { class: 'hint', text: W.dose_hint }),
      el('div', { class: 'dose' }, dose),
      dayBoxes(path + '.days', W.days, entry.days, W.days_hint, (days) => {
        setOptional(entry, 'days', days);
        if (days) { delete entry.weekly; }
        weekly.disabled = Boolean(days);
        weekly.value = days ? String(days.length) : (entry.weekly || item.dose.weekly || '');
      }),
      field(path + '.sides', W.sides, select(sides, entry.sides, (value) => { setOptional(entry, 'sides', value); changed(); })),
      field(path + '.note', W.note, textInput(entry.note, (value) => setOptional(entry, 'note', value))),
      changesOf(entry, path),
      el('div', { class: 'entry-buttons' },
        n > 0 ? button([W.move_up, hidden(' ' + item.title)], () => { move(entries, n, n - 1); }, { class: 'secondary' }) : null,
        n < entries.length - 1 ? button([W.move_down, hidden(' ' + item.title)], () => { move(entries, n, n + 1); }, { class: 'secondary' }) : null,
        button([W.remove, hidden(' ' + item.title)], () => {
          entries.splice(n, 1);
          render(entries.length ? idOf('exercises.' + Math.min(n, entries.length - 1)) : 'exercise-search');
          say(words('removed', { title: item.title }));
          changed();
        }, { class: 'secondary' })));
  }

  function move(entries, from, to) {
    entries.splice(to, 0, entries.splice(from, 1)[0]);
    render(idOf('exercises.' + to));
    changed();
  }

  /// A dose field: empty, or the exercise's default that the file did not write, is left to the exercise.
  function doseChanged(entry, item, key, value) {
    const fallback = item.dose[key] || '';
    if (value === '' || (value === fallback && !written.get(entry).has(key))) { delete entry[key]; } else { entry[key] = value; }
  }

  function changesOf(entry, path) {
    const changes = entry.changes || [];
    return el('fieldset', { class: 'changes', id: idOf(path + '.changes'), tabindex: -1 },
      el('legend', { text: W.changes }),
      el('p', { class: 'field-problem', id: slotOf(path + '.changes'), hidden: true }),
      changes.map((change, m) => {
        const at = path + '.changes.' + m;
        return el('fieldset', { class: 'change', id: idOf(at), tabindex: -1, 'aria-describedby': slotOf(at) },
          el('legend', { text: words('change', { week: change.week || '…' }) }),
          el('p', { class: 'field-problem', id: slotOf(at), hidden: true }),
          el('div', { class: 'dose' },
            field(at + '.week', W.week, numberInput(change.week, (value) => { change.week = value; }, 1, 52)),
            DOSE.map((key) => field(at + '.' + key, W[key], key === 'hold'
              ? textInput(change[key], (value) => setOptional(change, key, value), { class: 'short' })
              : numberInput(change[key], (value) => setOptional(change, key, value), 1, 1000)))),
          dayBoxes(at + '.days', W.days, change.days, null, (days) => setOptional(change, 'days', days)),
          button([W.remove, hidden(' ' + words('change', { week: change.week || '' }))], () => {
            changes.splice(m, 1);
            if (!changes.length) { delete entry.changes; }
            render(idOf(path + '.changes'));
            changed();
          }, { class: 'secondary' }));
      }),
      button(W.add_change, () => {
        const next = changes.length ? String(Number(changes[changes.length - 1].week || 1) + 1) : '2';
        entry.changes = changes.concat([{ week: next }]);
        render(idOf(path + '.changes.' + changes.length + '.week'));
        changed();
      }, { class: 'secondary' }));
  }

  // ---- Programs, cross-training, pages, notes ------------------------------------------

  function programsSection() {
    return section('section_programs',
      inheritable('progressions', fromProtocol(), () => list((choices.progressions || []).map((entry) => titleOf(catalog.progressions, entry.progression))),
        ownPrograms, () => clone(choices.progressions || [])));
  }

  function ownPrograms() {
    const programs = plan.progressions || (plan.progressions = []);
    const options = catalog.progressions.map((item) => [item.slug, item.title]);
    return el('div', { class: 'programs' },
      programs.length ? null : el('p', { class: 'hint', text: W.no_programs }),
      programs.map((program, n) => {
        const path = 'progressions.' + n;
        return el('fieldset', { class: 'entry', id: idOf(path) + '-entry', tabindex: -1 },
          el('legend', { text: titleOf(catalog.progressions, program.progression) }),
          field(path, W.program, select(options, program.progression, (value) => { program.progression = value; render(idOf(path)); changed(); })),
          field(path + '.start', W.program_start, textInput(program.start, (value) => setOptional(program, 'start', value), { type: 'date' }), W.program_start_hint),
          dayBoxes(path + '.days', W.days, program.days, W.program_days_hint, (days) => setOptional(program, 'days', days)),
          button([W.remove, hidden(' ' + titleOf(catalog.progressions, program.progression))], () => {
            programs.splice(n, 1);
            render('add-program');
            changed();
          }, { class: 'secondary' }));
      }),
      catalog.progressions.length ? button(W.add_program, () => {
        programs.push({ progression: catalog.progressions[0].slug });
        render(idOf('progressions.' + (programs.length - 1)));
        changed();
      }, { id: 'add-program', class: 'secondary' }) : null);
  }

  function crossSection() {
    return section('section_cross',
      inheritable('cross_training', fromProtocol(), () => (choices.cross_training ? list(choices.cross_training.activities) : W.inherited_none),
        ownCross, () => clone(choices.cross_training) || { activities: [] }));
  }

  function ownCross() {
    const cross = plan.cross_training;
    const toggle = el('div', { class: 'check' },
      el('input', { type: 'checkbox', id: 'cross-include', checked: Boolean(cross), onchange: (event) => {
        if (event.target.checked) { plan.cross_training = { activities: [] }; } else { delete plan.cross_training; }
        render('cross-include');
        changed();
      } }),
      el('label', { for: 'cross-include', text: W.cross_include }));
    if (!cross) { return toggle; }
    return el('div', {}, toggle,
      field('cross_training.activities', W.cross_activities, textInput(cross.activities.join(', '), (value) => {
        cross.activities = value.split(',').map((part) => part.trim()).filter(Boolean);
      }), W.cross_activities_hint),
      dayBoxes('cross_training.days', W.days, cross.days, W.cross_days_hint, (days) => setOptional(cross, 'days', days)),
      field('cross_training.note', W.cross_note, textInput(cross.note, (value) => setOptional(cross, 'note', value))));
  }

  function educationSection() {
    return section('section_education',
      inheritable('education', fromProtocol(), () => list((choices.education || []).map((slug) => titleOf(catalog.pages, slug))),
        () => pageBoxes('education'), () => clone(choices.education || [])));
  }

  function notesSection() {
    const notes = el('textarea', { rows: 5, oninput: (event) => { setOptional(plan, 'notes', event.target.value); changed(); } });
    notes.value = plan.notes || '';
    return section('section_notes', field('notes', W.section_notes, notes, W.notes_hint));
  }

  function actions() {
    return el('div', { class: 'editor-actions' },
      button(W.save, () => save(), { id: 'save-plan' }),
      button(W.save_draft, saveDraft, { id: 'save-draft', class: 'secondary' }));
  }

  // ---- Problems ------------------------------------------------------------------------

  function showProblems(problems, heading) {
    for (const slot of form.querySelectorAll('.field-problem')) { slot.hidden = true; slot.replaceChildren(); }
    for (const input of form.querySelectorAll('[aria-invalid]')) { input.removeAttribute('aria-invalid'); }
    const items = [];
    for (const problem of problems) {
      let path = problem.field;
      let slot = null;
      while (path && !(slot = byId(slotOf(path)))) { path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : ''; }
      if (slot) {
        slot.hidden = false;
        slot.append(el('span', { class: problem.severity === 'error' ? 'problem-error' : 'problem-warning', text: problem.message }));
        const input = byId(idOf(path));
        if (input && problem.severity === 'error') { input.setAttribute('aria-invalid', 'true'); }
      }
      items.push(el('li', {}, slot ? el('a', { href: '#' + idOf(path), text: problem.text }) : el('span', { text: problem.text })));
    }
    const errors = problems.filter((problem) => problem.severity === 'error').length;
    problemsBox.hidden = !items.length;
    problemsBox.replaceChildren(el('h2', { text: heading || (errors === 1 ? W.problem_title : words('problems_title', { n: errors || problems.length })) }),
      el('ul', {}, items));
    const summary = problems.length === 1 ? W.problem_count : problems.length ? words('problems_count', { n: problems.length }) : W.no_problems;
    if (summary !== announced) { announced = summary; say(summary); }
  }

  // ---- Preview -------------------------------------------------------------------------

  let timer = null;
  let busy = false;
  let again = false;

  function changed() {
    clearTimeout(timer);
    timer = setTimeout(preview, 400);
  }

  function preview() {
    if (busy) { again = true; return; }
    busy = true;
    previewNote.textContent = W.preview_updating;
    api('preview', { session, id, plan }).then(({ status, data }) => {
      busy = false;
      if (status !== 200) { previewNote.textContent = data.error || W.could_not_reach; return; }
      planText.textContent = data.text;
      showProblems(data.problems);
      if (data.ok && data.handout) {
        lastPreview = data;
        show();
        previewNote.textContent = W.preview_updated;
      } else {
        previewNote.textContent = lastPreview ? W.preview_stale : W.preview_none;
      }
      if (again) { again = false; preview(); }
    }, () => { busy = false; previewNote.textContent = W.could_not_reach; });
  }

  /// The handout or calendar of the last preview, at the place the therapist had scrolled to.
  function show() {
    if (!lastPreview) { return; }
    let y = 0;
    try { y = frame.contentWindow ? frame.contentWindow.scrollY : 0; } catch (error) { y = 0; }
    frame.onload = () => { try { frame.contentWindow.scrollTo(0, y); } catch (error) { /* another page */ } };
    frame.hidden = false;
    frame.src = (showing === 'calendar' ? lastPreview.calendar : lastPreview.handout) + '?v=' + Date.now();
  }

  for (const [buttonId, page] of [['show-handout', 'handout'], ['show-calendar', 'calendar']]) {
    byId(buttonId).addEventListener('click', () => {
      showing = page;
      byId('show-handout').setAttribute('aria-pressed', String(page === 'handout'));
      byId('show-calendar').setAttribute('aria-pressed', String(page === 'calendar'));
      show();
    });
  }

  // ---- Saving --------------------------------------------------------------------------

  // Saving is the Save button's alone: Enter in a field (the search, say) never saves.
  form.addEventListener('submit', (event) => event.preventDefault());

  function save(confirm) {
    clearTimeout(timer);
    say(W.saving);
    api('save', { session, id, plan, base, confirm }).then(({ status, data }) => {
      switch (data.status) {
      case 'invalid':
        showProblems(data.problems);
        say(W.invalid);
        problemsBox.focus();
        break;
      case 'confirm':
        review(words('review_title', { path: data.path }), W.review_text, data.diff,
          [[W.review_save, () => save(data.confirm)], [W.review_back, closeReview]]);
        break;
      case 'stale':
        review(words('stale_title', { path: data.path }), data.disk.text === null || data.disk.text === undefined ? W.stale_gone : W.stale_text, data.diff, [
          [W.stale_reload, () => { location.href = 'plan?id=' + encodeURIComponent(id); }],
          [W.stale_merge, () => { base = data.disk.base; closeReview(); save(); }]]);
        break;
      case 'unchanged':
        closeReview();
        say(words('saved_unchanged', { path: data.path }));
        break;
      case 'saved':
        saved(data);
        break;
      default:
        say(data.error || W.could_not_reach);
      }
    }, () => say(W.could_not_reach));
  }

  function saved(data) {
    closeReview();
    base = data.base;
    if (mode !== 'edit') {
      mode = 'edit';
      history.replaceState(null, '', 'plan?id=' + encodeURIComponent(id));
      byId('editor-title').textContent = words('title_edit', { id });
      document.title = byId('editor-title').textContent + document.title.slice(document.title.indexOf(' — '));
    }
    const handout = el('a', { href: '../../patients/' + encodeURIComponent(id) + '/index.html', text: W.open_saved_handout });
    if (data.problems && data.problems.length) {
      showProblems(data.problems, words('saved_with_problems', { path: data.path }));
      say(words('saved_with_problems', { path: data.path }), handout);
    } else {
      say(words('saved', { path: data.path }), handout);
    }
  }

  function saveDraft() {
    api('draft', { id, plan }).then(({ data }) => {
      say(data.status === 'draft' ? words('draft_saved', { path: data.path }) : (data.error || W.could_not_reach));
    }, () => say(W.could_not_reach));
  }

  /// The lines a save changes, marked for the eye (+, −) and for a screen reader (added, removed).
  function review(title, text, diff, choices_) {
    const lines = el('div', { class: 'diff', role: 'group', 'aria-label': title }, diff.map((line) => {
      if (line.kind === 'gap') { return el('div', { class: 'diff-gap' }, el('span', { 'aria-hidden': 'true', text: '⋯' }), hidden(W.lines_unchanged)); }
      const mark = { added: '+', removed: '−', same: ' ' }[line.kind];
      return el('div', { class: 'diff-line diff-' + line.kind },
        el('span', { class: 'diff-mark', 'aria-hidden': 'true', text: mark }),
        line.kind === 'same' ? null : hidden(W['line_' + line.kind] + ': '),
        el('code', { text: line.text || ' ' }));
    }));
    reviewBox.replaceChildren(el('h2', { text: title }), el('p', { text }), lines,
      el('div', { class: 'editor-actions' }, choices_.map(([label, action], n) => button(label, action, n ? { class: 'secondary' } : {}))));
    reviewBox.hidden = false;
    reviewBox.focus();
  }

  function closeReview() {
    if (!reviewBox.hidden) { reviewBox.hidden = true; reviewBox.replaceChildren(); const save_ = byId('save-plan'); if (save_) { save_.focus(); } }
  }

  // ---- Opening -------------------------------------------------------------------------

  const opening = new URLSearchParams();
  for (const key of ['id', 'draft', 'new', 'protocol', 'from', 'start']) { if (query.get(key)) { opening.set(key, query.get(key)); } }

  Promise.all([api('catalog'), api('open?' + opening.toString())]).then(([found, opened]) => {
    if (found.status !== 200) { say(found.data.error || W.could_not_reach); return; }
    catalog = found.data;
    W = catalog.words;
    if (opened.status !== 200) {
      say(opened.data.error || W.could_not_reach);
      if (opened.data.problems) { showProblems(opened.data.problems.map((text) => ({ severity: 'error', text, message: text }))); say(opened.data.error); }
      return;
    }
    ({ plan, session, base, mode, id } = opened.data);
    loadChoices().then(() => {
      render();
      say('');
      if (opened.data.hasDraft && mode !== 'draft') {
        byId('editor-title').after(el('p', {}, el('a', { href: 'plan?draft=' + encodeURIComponent(id), text: W.continue_draft + ': ' + id })));
      }
      if (opened.data.fileProblems.length) {
        showProblems(opened.data.fileProblems.map((text) => ({ severity: 'error', text, message: text })), W.file_problems);
      }
      preview();
    });
  }, () => say(W.could_not_reach || 'The server did not answer.'));
})();
