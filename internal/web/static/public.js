// The public pages' scripts (no inline scripts: CSP script-src 'self').
// 0. Every public page: commands show this site's address.
// 1. /public/decisions/...: verifies each inclusion proof in the browser
//    (RFC 9162 section 2.1.3.2, SHA-256 by WebCrypto) against the root hash
//    of the signed checkpoint shown on the page, from #proof-data.
// 2. /public/statistics: draws the charts with Chart.js (vendored, loaded
//    first) from #statistics-data; the tables hold the same numbers.
(function () {
  'use strict'

  var fromB64 = function (s) {
    var bin = atob(s)
    var out = new Uint8Array(bin.length)
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
    return out
  }
  var toB64 = function (bytes) {
    var s = ''
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i])
    return btoa(s)
  }
  var sha256 = function (prefix, parts) {
    var n = 1
    parts.forEach(function (p) { n += p.length })
    var buf = new Uint8Array(n)
    buf[0] = prefix
    var off = 1
    parts.forEach(function (p) { buf.set(p, off); off += p.length })
    return window.crypto.subtle.digest('SHA-256', buf).then(function (h) { return new Uint8Array(h) })
  }

  // verify resolves to an empty string when the proof holds, or a reason.
  var verify = function (p) {
    return sha256(0, [fromB64(p.leaf)]).then(function (leafHash) {
      if (toB64(leafHash) !== p.leaf_hash) return 'the leaf does not hash to the leaf hash shown'
      var fn = p.index
      var sn = p.size - 1
      var r = leafHash
      var chain = Promise.resolve()
      var failed = ''
      p.proof.forEach(function (h) {
        chain = chain.then(function () {
          if (failed) return
          if (sn === 0) { failed = 'the proof is too long'; return }
          var sib = fromB64(h)
          var step
          if (fn % 2 === 1 || fn === sn) {
            step = sha256(1, [sib, r]).then(function (x) {
              r = x
              if (fn % 2 === 0) {
                while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2) }
              }
            })
          } else {
            step = sha256(1, [r, sib]).then(function (x) { r = x })
          }
          return step.then(function () { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2) })
        })
      })
      return chain.then(function () {
        if (failed) return failed
        if (sn !== 0) return 'the proof is too short'
        if (toB64(r) !== p.root) return 'the computed root hash differs from the checkpoint\'s'
        return ''
      })
    })
  }

  // Commands name this site as the browser reached it: the server does not
  // echo the Host header into pages that caches keep.
  Array.prototype.forEach.call(document.querySelectorAll('.app-origin'), function (e) {
    e.textContent = window.location.origin
  })

  var proofs = document.getElementById('proof-data')
  if (proofs && window.crypto && window.crypto.subtle) {
    var list = []
    try { list = JSON.parse(proofs.textContent) || [] } catch (e) { list = [] }
    list.forEach(function (p) {
      var button = document.querySelector('[data-verify-index="' + p.index + '"]')
      var result = document.querySelector('[data-verify-result="' + p.index + '"]')
      if (!button || !result) return
      button.hidden = false
      button.addEventListener('click', function () {
        verify(p).then(function (why) {
          result.className = 'govuk-body ' + (why ? 'app-proof-result--bad' : 'app-proof-result--ok')
          result.textContent = why
            ? 'Not verified: ' + why + '.'
            : 'Verified: entry ' + p.index + ' is in the log of ' + p.size + ' entries whose root hash the checkpoint signs.'
        })
      })
    })
  }

  var stats = document.getElementById('statistics-data')
  if (!stats || !window.Chart) return
  var d
  try { d = JSON.parse(stats.textContent) } catch (e) { return }
  var draw = function (id, type, labels, datasets, options) {
    var canvas = document.getElementById(id)
    var figure = document.getElementById(id + '-figure')
    if (!canvas || !figure || !labels || labels.length === 0) return
    figure.hidden = false
    new window.Chart(canvas, {
      type: type,
      data: { labels: labels, datasets: datasets },
      options: Object.assign({ aspectRatio: 2.5, animation: false, plugins: { legend: { position: 'bottom' } } }, options || {})
    })
  }
  // GOV.UK colours.
  draw('chart-outcomes', 'bar', d.outcomes.labels, [{ label: 'Decisions', data: d.outcomes.series.count, backgroundColor: '#1d70b8' }])
  draw('chart-destinations', 'bar', d.destinations.labels, [
    { label: 'Issued', data: d.destinations.series.issued, backgroundColor: '#00703c' },
    { label: 'Refused', data: d.destinations.series.refused, backgroundColor: '#d4351c' }
  ], { scales: { x: { stacked: true }, y: { stacked: true } } })
  draw('chart-criteria', 'bar', d.criteria.labels, [{ label: 'Refusals citing the criterion', data: d.criteria.series.refusals, backgroundColor: '#98285d' }])
  var flat = function (v) { return d.processing.labels.map(function () { return v }) }
  draw('chart-processing', 'bar', d.processing.labels, [
    { type: 'bar', label: 'Within 20 working days (%)', data: d.processing.series.within_20, backgroundColor: '#1d70b8' },
    { type: 'bar', label: 'Within 60 working days (%)', data: d.processing.series.within_60, backgroundColor: '#98285d' },
    { type: 'line', label: 'Target ' + d.target_20 + '%', data: flat(d.target_20), borderColor: '#0b0c0c', borderDash: [6, 4], pointRadius: 0 },
    { type: 'line', label: 'Target ' + d.target_60 + '%', data: flat(d.target_60), borderColor: '#505a5f', borderDash: [2, 3], pointRadius: 0 }
  ], { scales: { y: { min: 0, max: 100 } } })
})()
