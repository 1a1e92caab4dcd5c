// hwspec docs site: search on the index, decode box on spec pages. Handwritten, copied verbatim.
// Values decode through the generated TypeScript accessors: assets/generated.js (window.hwspecGenerated)
// and the assets/ts/**.js scripts of the page's spec. The search rows come from assets/search.js.
(function () {
  "use strict";

  function text(el, value) {
    el.textContent = value;
    return el;
  }

  // ---- search (index page) ----

  // Readings of a word as an array element, as the CLI reads names (generator/inspect/names.ts):
  // name[3] and cl[2].reg, name3 and cl2_reg at every split of the digits.
  function readings(w) {
    var out = [];
    var m = /^([^\[\]]+)\[([0-9]+)\]$/.exec(w);
    if (m) out.push({ base: m[1], index: Number(m[2]), cluster: false });
    m = /^([^\[\]]+)\[([0-9]+)\]\.([a-z_][a-z0-9_]*)$/.exec(w);
    if (m) out.push({ base: m[1] + "_" + m[3], index: Number(m[2]), cluster: true });
    if (w.indexOf("[") !== -1) return out;
    for (var i = 1; i < w.length; i++) {
      if (!/[0-9]/.test(w[i]) || /[0-9]/.test(w[0])) continue;
      for (var j = i + 1; j <= w.length && /^[0-9]+$/.test(w.slice(i, j)); j++) {
        var digits = w.slice(i, j);
        if (digits.length > 1 && digits[0] === "0") continue;
        if (j === w.length) out.push({ base: w.slice(0, i), index: Number(digits), cluster: false });
        else if (w[j] === "_" && j + 1 < w.length) out.push({ base: w.slice(0, i) + "_" + w.slice(j + 1), index: Number(digits), cluster: true });
      }
    }
    return out;
  }

  // An element spelling finds its array's entry when the index is in range.
  function elementHit(w, row) {
    if (!row[7]) return false;
    var names = row[6].split(" ");
    return readings(w).some(function (r) {
      return r.index < row[7] && (!r.cluster || row[8] === 1) && names.indexOf(r.base) !== -1;
    });
  }

  // The index (assets/search.js) holds a row per spec and shape; the page shows at most LIMIT hits,
  // so its DOM stays the same size for ten registers or ten thousand (docs/auditing.md, "Docs at scale").
  var LIMIT = 100;
  var search = document.getElementById("search");
  if (search) {
    var rows = window.hwspecSearch || [];
    var list = document.getElementById("search-results");
    var count = document.getElementById("search-count");
    var item = function (row) {
      var li = document.createElement("li");
      li.setAttribute("data-search", row[5]);
      var a = text(document.createElement("a"), row[0]);
      a.href = row[3];
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      text(li.appendChild(document.createElement("span")), row[1]).className = "tag";
      li.appendChild(document.createTextNode(" "));
      text(li.appendChild(document.createElement("span")), row[2]).className = "muted";
      if (row[4]) text(li.appendChild(document.createElement("div")), row[4]).className = "doc";
      return li;
    };
    var apply = function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var hits = 0;
      var shown = document.createDocumentFragment();
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var hit = words.every(function (w) { return row[5].indexOf(w) !== -1 || elementHit(w, row); });
        if (!hit) continue;
        if (hits < LIMIT) shown.appendChild(item(row));
        hits++;
      }
      while (list.firstChild) list.removeChild(list.firstChild);
      list.appendChild(shown);
      var more = hits > LIMIT ? " (first " + LIMIT + " shown; type more to narrow)" : "";
      text(count, (words.length ? hits + " of " + rows.length + " match" : rows.length + " entries") + more);
    };
    search.addEventListener("input", apply);
    apply();
  }

  // ---- decode box (spec pages) ----
  var input = document.getElementById("decode-input");
  if (!input) return;
  var select = document.getElementById("decode-shape");
  var status = document.getElementById("decode-status");
  var tbody = document.querySelector("#decode-output tbody");
  var gen = window.hwspecGenerated;
  var descriptors = Object.create(null);
  if (gen) {
    gen.modules.forEach(function (id) {
      var m = gen.require(id);
      Object.keys(m).forEach(function (k) {
        var d = m[k];
        if (d && typeof d === "object" && typeof d.qname === "string" && typeof d.decode === "function" && typeof d.parse === "function") descriptors[d.qname] = d;
      });
    });
  }

  function hex(v) {
    if (typeof v === "boolean") return v ? "0x1" : "0x0";
    if (typeof v === "number") return "0x" + (v >>> 0).toString(16);
    if (v && typeof v === "object" && typeof v.lo === "number" && typeof v.hi === "number") {
      return "0x" + ((BigInt(v.hi >>> 0) << 32n) | BigInt(v.lo >>> 0)).toString(16);
    }
    return String(v);
  }

  function bits(lsb, width) {
    return width === 1 ? String(lsb) : lsb + width - 1 + ":" + lsb;
  }

  function rows(desc, decoded, prefix, base, out) {
    desc.fields.forEach(function (f) {
      var path = prefix ? prefix + "." + f.name : f.name;
      var value = decoded[f.name];
      var nested = f.layout ? descriptors[f.layout] : undefined;
      if (nested && value && typeof value === "object" && !("lo" in value && "hi" in value)) {
        out.push({ path: path, lsb: base + f.lsb, width: f.width, value: "", meaning: "(" + f.layout + ")" });
        rows(nested, value, path, base + f.lsb, out);
        return;
      }
      var h = hex(value);
      var meaning = "";
      if (f.enum) {
        Object.keys(f.enum).forEach(function (name) {
          if (BigInt(f.enum[name]) === BigInt(h)) meaning = name;
        });
        // As hwspec decode flags it: a value the enum does not name is worth a second look.
        if (!meaning) meaning = "(not a named value)";
      }
      out.push({ path: path, lsb: base + f.lsb, width: f.width, value: h, meaning: meaning });
    });
    return out;
  }

  function render() {
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
    var desc = descriptors[select.value];
    var raw = input.value.trim();
    if (!desc) return text(status, "No generated accessor for " + select.value + ".");
    if (!raw) return text(status, "Type a " + desc.width + "-bit value.");
    var v;
    try {
      v = desc.parse(raw);
    } catch (e) {
      status.className = "status error";
      return text(status, String(e && e.message ? e.message : e));
    }
    status.className = "status";
    text(status, desc.qname + " = " + desc.format(v));
    rows(desc, desc.decode(v), "", 0, []).forEach(function (r) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-path", r.path);
      [bits(r.lsb, r.width), r.path, r.value, r.meaning].forEach(function (cell, i) {
        var td = text(document.createElement("td"), cell);
        if (i === 2) td.className = "value";
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
  }

  input.addEventListener("input", render);
  select.addEventListener("change", render);
  Array.prototype.forEach.call(document.querySelectorAll(".decode-this"), function (b) {
    b.addEventListener("click", function () {
      select.value = b.getAttribute("data-qname");
      render();
      document.getElementById("decode").scrollIntoView();
      input.focus();
    });
  });
  render();
})();
