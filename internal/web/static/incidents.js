// Draws the evidence register's map and timeline (/incidents) and an incident's map
// (/incidents/{id}). Leaflet (window.L), topojson-client (window.topojson) and Chart.js
// (window.Chart) are vendored and loaded before this file. The incidents come from JSON blocks the
// server marshals into the page (#incidents-map-data, #incidents-timeline-data,
// #incident-point-data); the base layer is Natural Earth's countries (vendor/world-atlas), drawn
// as grey shapes: nothing is loaded from anywhere else, so the map works offline. Redacted
// incidents are never in the data: the page says how many were left off.
(function () {
  'use strict'
  var L = window.L
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

  function readJSON (id) {
    var el = document.getElementById(id)
    if (!el) {
      return null
    }
    try {
      return JSON.parse(el.textContent)
    } catch (e) {
      return null
    }
  }

  // whenShown runs fn once el has a size: a map or chart in a hidden tab panel waits until its
  // tab is chosen (Leaflet and Chart.js measure their container when they start).
  function whenShown (el, fn) {
    var shown = function () { return el.offsetWidth > 0 && el.offsetHeight > 0 }
    if (shown() || !window.ResizeObserver) {
      fn()
      return
    }
    var ro = new window.ResizeObserver(function () {
      if (shown()) {
        ro.disconnect()
        fn()
      }
    })
    ro.observe(el)
  }

  // baseMap starts a map with the countries as light grey shapes under everything else.
  function baseMap (el, countriesURL) {
    var map = L.map(el, { minZoom: 1, maxZoom: 12, zoomSnap: 0.5, worldCopyJump: false })
    map.attributionControl.addAttribution('Borders: Natural Earth')
    var pane = map.createPane('countries')
    pane.style.zIndex = 350
    pane.style.pointerEvents = 'none'
    if (countriesURL && window.topojson && window.fetch) {
      window.fetch(countriesURL, { credentials: 'same-origin' })
        .then(function (r) {
          if (!r.ok) {
            throw new Error(r.status + ' ' + countriesURL)
          }
          return r.json()
        })
        .then(function (topo) {
          L.geoJSON(window.topojson.feature(topo, topo.objects.countries), {
            pane: 'countries',
            interactive: false,
            className: 'app-map-country',
            style: { color: '#a6a9ab', weight: 0.7, fillColor: '#e5e6e7', fillOpacity: 1 }
          }).addTo(map)
          el.setAttribute('data-countries', 'drawn')
        })
        .catch(function (e) {
          console.error('exportctl map: the country shapes did not load: ' + e.message)
        })
    }
    return map
  }

  function text (tag, className, content) {
    var el = document.createElement(tag)
    if (className) {
      el.className = className
    }
    el.textContent = content
    return el
  }

  // popup is built from elements, never from HTML, so nothing in the data can become markup.
  function popup (p, label) {
    var div = document.createElement('div')
    div.className = 'app-map-popup'
    var title = document.createElement('p')
    title.className = 'app-map-popup__title'
    var link = text('a', 'govuk-link', p.date)
    link.href = p.href
    title.appendChild(link)
    div.appendChild(title)
    div.appendChild(text('p', '', p.place))
    div.appendChild(text('p', '', 'Target: ' + label))
    div.appendChild(text('p', '', 'Perpetrator: ' + (p.perpetrator || 'not attributed')))
    return div
  }

  function legend (map, categories) {
    if (!categories.length) {
      return
    }
    var control = L.control({ position: 'bottomright' })
    control.onAdd = function () {
      var div = L.DomUtil.create('div', 'app-map-legend')
      div.appendChild(text('p', 'app-map-legend__title', 'Target'))
      categories.forEach(function (c) {
        var row = L.DomUtil.create('div', 'app-map-legend__item', div)
        var swatch = L.DomUtil.create('span', 'app-map-legend__swatch', row)
        swatch.style.backgroundColor = c.colour
        row.appendChild(document.createTextNode(c.label))
      })
      return div
    }
    control.addTo(map)
  }

  function incidentsMap () {
    var el = document.getElementById('incidents-map')
    var d = readJSON('incidents-map-data')
    if (!el || !d || !L) {
      return
    }
    whenShown(el, function () {
      var map = baseMap(el, d.countries)
      var colours = {}
      var labels = {}
      d.categories.forEach(function (c) {
        colours[c.key] = c.colour
        labels[c.key] = c.label
      })
      var markers = L.featureGroup()
      d.points.forEach(function (p) {
        L.circleMarker([p.lat, p.lon], {
          radius: 6, color: '#ffffff', weight: 1, fillColor: colours[p.target] || '#626a6e', fillOpacity: 0.9
        }).bindPopup(popup(p, labels[p.target] || p.target)).addTo(markers)
      })
      markers.addTo(map)
      if (d.points.length === 1) {
        // fitBounds on one point's empty bounds leaves a fresh map without a view
        map.setView([d.points[0].lat, d.points[0].lon], 9)
      } else if (d.points.length) {
        map.fitBounds(markers.getBounds(), { padding: [30, 30], maxZoom: 9 })
      } else {
        map.setView([20, 10], 2)
      }
      legend(map, d.categories)
      el.setAttribute('data-markers', String(d.points.length))
    })
  }

  function pointMap () {
    var el = document.getElementById('incident-map')
    var d = readJSON('incident-point-data')
    if (!el || !d || !L) {
      return
    }
    whenShown(el, function () {
      var map = baseMap(el, d.countries)
      L.circleMarker([d.lat, d.lon], { radius: 8, color: '#ffffff', weight: 2, fillColor: d.colour, fillOpacity: 0.95 })
        .bindTooltip(d.label)
        .addTo(map)
      map.setView([d.lat, d.lon], 6)
    })
  }

  function monthLabel (ym) {
    var parts = ym.split('-')
    var m = parseInt(parts[1], 10)
    return (MONTHS[m - 1] || parts[1]) + ' ' + parts[0]
  }

  function timeline () {
    var d = readJSON('incidents-timeline-data')
    var figure = document.getElementById('incidents-timeline-figure')
    var canvas = document.getElementById('incidents-timeline-chart')
    if (!d || !figure || !canvas || !window.Chart || !d.months.length) {
      return
    }
    whenShown(figure, function () {
      new window.Chart(canvas, {
        type: 'bar',
        data: {
          labels: d.months.map(monthLabel),
          datasets: d.series.map(function (s) {
            return { label: s.label, data: s.counts, backgroundColor: s.colour }
          })
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          scales: {
            x: { stacked: true },
            y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Incidents' } }
          },
          plugins: { legend: { position: 'bottom' } }
        }
      })
      figure.setAttribute('data-drawn', 'true')
    })
  }

  // The filter form keeps the chosen view: GOV.UK tabs put it in the address's fragment, and a
  // GET form keeps its action's fragment.
  function keepView () {
    var form = document.getElementById('incident-filters')
    if (!form) {
      return
    }
    var set = function () {
      var h = window.location.hash
      form.setAttribute('action', '/incidents' + (/^#view-(table|map|timeline)$/.test(h) ? h : ''))
    }
    window.addEventListener('hashchange', set)
    set()
  }

  incidentsMap()
  pointMap()
  timeline()
  keepView()
})()
