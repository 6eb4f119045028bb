/* The network page's graph: Cytoscape.js over the nodes and links the page lists.
   Click a node (or an Expand button in the table) to add its neighbours, drag to
   arrange, save the layout per user. Everything drawn here is also in the tables. */
(function () {
  "use strict";
  var source = document.getElementById("graph-data");
  var box = document.getElementById("graph");
  if (!source || !box) { return; }
  var data = JSON.parse(source.textContent);
  var status = document.getElementById("graph-status");
  var csrf = document.getElementById("csrf-token").value;
  var actors = ["Person", "Company", "Organization", "LegalEntity", "PublicBody"];
  var tableBody = document.querySelector("#node-table tbody");
  var known = {};

  function say(text) { status.textContent = text; }

  if (typeof window.cytoscape !== "function") {
    say("The graph could not be drawn; the tables below list every node and link.");
    return;
  }

  function nodeClass(node) {
    if (node.victim) { return "victim"; }
    if (node.kind !== "entity") { return "selector"; }
    return actors.indexOf(node.schema) >= 0 ? "actor" : "other";
  }

  function nodeElement(node) {
    known[node.id] = node;
    return { group: "nodes", data: { id: node.id, label: node.label, kind: node.kind }, classes: nodeClass(node) };
  }

  function edgeElement(edge) {
    var id = "e|" + edge.source + "|" + edge.target + "|" + edge.label + "|" + (edge.date || "");
    return { group: "edges", data: { id: id, source: edge.source, target: edge.target, label: edge.label } };
  }

  function fresh(elements) {
    return elements.filter(function (el) { return cy.getElementById(el.data.id).empty(); });
  }

  var cy = window.cytoscape({
    container: box,
    elements: data.nodes.map(nodeElement).concat(dedupe(data.edges.map(edgeElement))),
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 11, "color": "#1b1f24", "text-valign": "bottom", "text-margin-y": 4, "width": 22, "height": 22, "background-color": "#5b6b7c", "text-wrap": "ellipsis", "text-max-width": 140 } },
      { selector: "node.actor", style: { "background-color": "#0b5cad", "shape": "ellipse" } },
      { selector: "node.selector", style: { "background-color": "#8a5a00", "shape": "diamond", "width": 16, "height": 16 } },
      { selector: "node.other", style: { "background-color": "#4a5563", "shape": "round-rectangle" } },
      { selector: "node.victim", style: { "background-color": "#a1120b", "shape": "star", "width": 26, "height": 26 } },
      { selector: "edge", style: { "width": 1.5, "line-color": "#8a96a3", "curve-style": "bezier", "label": "data(label)", "font-size": 9, "color": "#4a5563", "text-rotation": "autorotate" } },
      { selector: ".path", style: { "border-width": 4, "border-color": "#f0b400", "line-color": "#f0b400", "width": 4 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#14263d" } }
    ]
  });
  window.threadlineGraph = cy;

  function dedupe(edges) {
    var seen = {};
    return edges.filter(function (el) {
      if (seen[el.data.id]) { return false; }
      seen[el.data.id] = true;
      return true;
    });
  }

  function arrange(saved) {
    var missing = cy.nodes().filter(function (n) { return !saved[n.id()]; });
    if (missing.length === 0) {
      cy.layout({ name: "preset", positions: function (n) { return saved[n.id()]; }, fit: true, padding: 30 }).run();
      return;
    }
    var layout = cy.layout({ name: "cose", animate: false, fit: true, padding: 30, randomize: true });
    layout.one("layoutstop", function () {
      cy.nodes().forEach(function (n) { if (saved[n.id()]) { n.position(saved[n.id()]); } });
      cy.fit(undefined, 30);
    });
    layout.run();
  }

  function markPath(ids) {
    ids.forEach(function (id, i) {
      cy.getElementById(id).addClass("path");
      if (i > 0) { cy.getElementById(ids[i - 1]).edgesWith(cy.getElementById(id)).addClass("path"); }
    });
  }

  function addRow(node) {
    if (!tableBody || tableBody.querySelector('tr[data-node="' + CSS.escape(node.id) + '"]')) { return; }
    var row = document.createElement("tr");
    row.dataset.node = node.id;
    var name = document.createElement("td");
    name.textContent = node.label + (node.victim ? " (possible victim)" : "");
    var type = document.createElement("td");
    type.textContent = node.schema || node.kind;
    var countries = document.createElement("td");
    countries.textContent = node.countries.join(", ");
    var action = document.createElement("td");
    if (node.kind === "entity") {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "expand";
      button.dataset.expand = node.id;
      button.textContent = "Expand";
      button.setAttribute("aria-label", "Expand " + node.label);
      action.appendChild(button);
    }
    row.append(name, type, countries, action);
    tableBody.appendChild(row);
  }

  function expand(id) {
    var center = cy.getElementById(id);
    var name = known[id] ? known[id].label : id;
    say("Expanding " + name + "…");
    fetch("/api/v1/network/expand/" + encodeURIComponent(id) + "?hops=1&limit=50", {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("the server answered " + response.status); }
      return response.json();
    }).then(function (result) {
      var nodes = fresh(result.nodes.map(nodeElement));
      var origin = center.nonempty() ? center.position() : { x: 0, y: 0 };
      nodes.forEach(function (el, i) {
        var angle = (2 * Math.PI * i) / Math.max(nodes.length, 1);
        el.position = { x: origin.x + 120 * Math.cos(angle), y: origin.y + 120 * Math.sin(angle) };
      });
      cy.add(nodes);
      cy.add(fresh(dedupe(result.edges.map(edgeElement))));
      result.nodes.forEach(addRow);
      cy.fit(undefined, 30);
      var caption = document.querySelector("#node-table caption");
      if (caption) { caption.textContent = "Nodes: " + tableBody.rows.length; }
      say("Added " + nodes.length + " nodes around " + name + (result.truncated ? " (capped at 50)." : "."));
    }).catch(function (error) { say("Could not expand " + name + ": " + error.message); });
  }

  function post(body) {
    return fetch("/networks/" + encodeURIComponent(data.network) + "/layout", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) { throw new Error("the server answered " + response.status); }
      return response.json();
    });
  }

  cy.on("tap", "node", function (event) {
    if (event.target.data("kind") === "entity") { expand(event.target.id()); }
  });
  document.addEventListener("click", function (event) {
    var target = event.target.closest("button[data-expand]");
    if (target) { expand(target.dataset.expand); }
  });
  document.getElementById("layout-save").addEventListener("click", function () {
    var positions = {};
    cy.nodes().forEach(function (n) { positions[n.id()] = n.position(); });
    post({ positions: positions }).then(function (r) { say("Layout saved (" + r.saved + " nodes)."); })
      .catch(function (error) { say("Could not save the layout: " + error.message); });
  });
  document.getElementById("layout-reset").addEventListener("click", function () {
    post({ reset: true }).then(function () { arrange({}); say("Layout reset."); })
      .catch(function (error) { say("Could not reset the layout: " + error.message); });
  });

  arrange(data.layout || {});
  markPath(data.path || []);
  say(cy.nodes().length + " nodes and " + cy.edges().length + " links drawn.");
}());
