// Draws the performance chart of /performance with Chart.js (vendored,
// loaded before this file, sets window.Chart). The numbers come from the
// JSON block #performance-data; the table on the page holds the same
// numbers for people who cannot see the chart or run scripts.
(function () {
  'use strict'
  var data = document.getElementById('performance-data')
  var figure = document.getElementById('performance-figure')
  var canvas = document.getElementById('performance-chart')
  if (!data || !figure || !canvas || !window.Chart) {
    return
  }
  var d
  try {
    d = JSON.parse(data.textContent)
  } catch (e) {
    return
  }
  if (!d.labels || d.labels.length === 0) {
    return
  }
  var flat = function (v) {
    return d.labels.map(function () { return v })
  }
  figure.hidden = false
  // GOV.UK colours: blue and purple bars, dark lines for the targets.
  new window.Chart(canvas, {
    data: {
      labels: d.labels,
      datasets: [
        { type: 'bar', label: 'Within ' + d.days_20 + ' working days (%)', data: d.share_20, backgroundColor: '#1d70b8' },
        { type: 'bar', label: 'Within ' + d.days_60 + ' working days (%)', data: d.share_60, backgroundColor: '#98285d' },
        { type: 'line', label: 'Target ' + d.target_20 + '%', data: flat(d.target_20), borderColor: '#0b0c0c', borderDash: [6, 4], pointRadius: 0, fill: false },
        { type: 'line', label: 'Target ' + d.target_60 + '%', data: flat(d.target_60), borderColor: '#505a5f', borderDash: [2, 3], pointRadius: 0, fill: false }
      ]
    },
    options: {
      aspectRatio: 2.5,
      animation: false,
      scales: {
        y: { min: 0, max: 100, title: { display: true, text: 'Share of cases decided (%)' } }
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            afterTitle: function (items) {
              var i = items.length ? items[0].dataIndex : -1
              return i >= 0 ? d.decided[i] + ' decided' : ''
            }
          }
        }
      }
    }
  })
})()
