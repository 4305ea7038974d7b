import Hummingbird
import NIOCore

/// The stylesheet and the script of the back office, in the binary; no third-party code.
enum BackOfficeAssets {
    static func response(_ name: String) -> Response? {
        let (type, text): (String, String)
        switch name {
        case "admin.css": (type, text) = ("text/css; charset=utf-8", css)
        case "admin.js": (type, text) = ("text/javascript; charset=utf-8", script)
        default: return nil
        }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let css = """
        :root { --ink: #1d2327; --muted: #5f6b73; --line: #d6dce0; --accent: #0b5cad; --full: #2e7d32; --half: #b7791f; --low: #b3261e; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--ink); background: #f6f7f8; }
        a { color: var(--accent); }
        a:focus, button:focus, input:focus, textarea:focus, select:focus { outline: 3px solid #7fb3e8; outline-offset: 1px; }
        .bar { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .6rem 1.2rem; background: #fff; border-bottom: 1px solid var(--line); }
        .brand { font-weight: 700; text-decoration: none; color: var(--ink); }
        nav a { margin-right: .9rem; text-decoration: none; }
        nav a[aria-current] { font-weight: 700; text-decoration: underline; }
        .signout { margin-left: auto; display: flex; gap: .5rem; align-items: center; }
        .who { color: var(--muted); }
        main { max-width: 1200px; margin: 0 auto; padding: 1.2rem; }
        main.narrow { max-width: 420px; margin-top: 8vh; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
        h1 { font-size: 1.5rem; margin: .2rem 0 1rem; }
        h2 { font-size: 1.1rem; margin: 1.4rem 0 .6rem; }
        label { display: block; font-weight: 600; margin: .6rem 0 .2rem; }
        input[type=text], input[type=email], input[type=password], input[type=number], input[type=search], textarea, select {
          width: 100%; padding: .45rem .5rem; border: 1px solid #9aa5ad; border-radius: 4px; font: inherit; background: #fff; }
        textarea { min-height: 4.5rem; }
        button { padding: .45rem .9rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; font: inherit; cursor: pointer; }
        button.quiet { background: #fff; color: var(--accent); }
        table { width: 100%; border-collapse: collapse; background: #fff; }
        th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 1rem; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .9rem; }
        .card strong { display: block; font-size: 1.6rem; }
        .cards { margin-bottom: 1rem; }
        a.card { text-decoration: none; color: inherit; } a.card:hover { border-color: var(--accent); }
        .heat td { text-align: center; font-weight: 600; color: #fff; }
        .full { background: var(--full); } .half { background: var(--half); } .low { background: var(--low); }
        form[role=search] { display: flex; gap: .5rem; align-items: center; margin-bottom: 1rem; }
        form[role=search] label { margin: 0; }
        form[role=search] input { flex: 1; }
        form[role=search] select { width: auto; min-width: 12rem; }
        form.filters { flex-wrap: wrap; align-items: flex-end; } form.filters > div { flex: 1 1 9rem; }
        form.filters label { margin: 0 0 .2rem; } form.filters select { width: 100%; min-width: 0; }
        .bulk fieldset { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin: 0; border: 0; padding: 0; }
        label.inline { display: inline; margin: 0; font-weight: 400; } input[type=datetime-local] { padding: .35rem; font: inherit; }
        caption { text-align: left; color: var(--muted); padding: .3rem 0; }
        th.place { font-weight: 600; font-size: .85rem; color: var(--muted); text-align: center; }
        table.products td { vertical-align: middle; }
        .meters { display: flex; flex-wrap: wrap; gap: .4rem 1rem; }
        .meter-row { white-space: nowrap; }
        .high { background: #5a9a5e; }
        .meter { display: inline-block; min-width: 3.5rem; padding: .1rem .4rem; border-radius: 4px; color: #fff; text-align: center; }
        .notice { background: #e7f3e8; border: 1px solid #9ccc9f; padding: .6rem .8rem; border-radius: 4px; }
        .error { background: #fbe9e7; border: 1px solid #e6a39b; padding: .6rem .8rem; border-radius: 4px; }
        .values { display: grid; grid-template-columns: minmax(140px, 220px) 1fr; gap: .3rem 1rem; align-items: start; }
        .values .scope { color: var(--muted); font-weight: 400; }
        fieldset { border: 1px solid var(--line); border-radius: 6px; background: #fff; margin: 0 0 1rem; }
        pre { white-space: pre-wrap; background: #fff; border: 1px solid var(--line); padding: .6rem; }
        .panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .4rem 1rem 1rem; margin-bottom: 1rem; }
        .row { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 0 1rem; }
        label.check { display: inline-block; font-weight: 400; margin: .2rem 1rem .2rem 0; }
        progress { width: 12rem; height: 1rem; vertical-align: middle; }
        .bar-line { margin: 1rem 0; } .bar-line progress { width: min(40rem, 100%); height: 1.4rem; display: block; margin-bottom: .4rem; }
        .preview img { display: block; max-width: 100%; max-height: 160px; object-fit: cover; margin: .4rem 0; border-radius: 4px; }
        .preview h3 { margin: 0 0 .3rem; font-size: 1rem; } .preview .preview-name { font-size: 1.1rem; } .missing { color: var(--low); }
        .inline-form { display: flex; gap: .4rem; align-items: center; } .inline-form input[type=number] { width: 6rem; }
        ul.tree { list-style: none; padding-left: 1.4rem; margin: .2rem 0; } main > ul.tree { padding-left: 0; }
        .tree .node { display: inline-flex; gap: .6rem; align-items: center; padding: .15rem 0; } .tree .node .inline-form button { padding: .1rem .5rem; }
        textarea.code { font: 13px/1.4 ui-monospace, monospace; }
        .scroll { overflow-x: auto; max-width: 100%; }
        .amount { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; background: #e3ecf5; color: var(--ink); font-size: .85rem; font-weight: 600; vertical-align: middle; }
        .moves { display: flex; flex-wrap: wrap; gap: .8rem; align-items: flex-end; margin: 1rem 0; }
        .moves form { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6rem; }
        .moves label { margin-top: 0; font-weight: 400; }
        button.danger { background: var(--low); border-color: var(--low); }
        tfoot th { text-align: right; font-weight: 400; } tfoot td { font-weight: 600; }
        @media (max-width: 800px) { .values { grid-template-columns: 1fr; } .signout { margin-left: 0; } }
        """

    /// Updates each completeness meter as the fields it counts are filled in.
    static let script = """
        document.addEventListener('input', function () {
          document.querySelectorAll('[data-requires]').forEach(function (meter) {
            var ids = meter.getAttribute('data-requires').split(' ').filter(Boolean);
            var filled = ids.filter(function (id) { var field = document.getElementById(id); return field && field.value.trim() !== ''; }).length;
            var fixed = parseInt(meter.getAttribute('data-fixed') || '0', 10);
            var total = parseInt(meter.getAttribute('data-total') || '0', 10);
            var ratio = total === 0 ? 1 : (filled + fixed) / total;
            var value = Math.round(ratio * 100);
            meter.textContent = value + '%';
            meter.className = 'meter ' + (value >= 100 ? 'full' : value >= 90 ? 'high' : value >= 50 ? 'half' : 'low');
          });
        });

        // The product list's box over the others ticks or clears the page's rows.
        (function () {
          var all = document.getElementById('select-all');
          if (!all) return;
          all.addEventListener('change', function () {
            document.querySelectorAll('input[name=ids]').forEach(function (box) { box.checked = all.checked; });
          });
        })();

        // Imports: the upload, with a bar, as the person (the session's CSRF token in a header).
        (function () {
          var form = document.getElementById('import-form');
          if (!form) return;
          form.addEventListener('submit', function (event) {
            event.preventDefault();
            var file = document.getElementById('file').files[0];
            if (!file) return;
            // Percent-encoded (a space as %20, not +, which the server keeps as it is).
            var fields = { file_name: file.name, format: form.format.value, mode: form.mode.value, stock: form.stock.value };
            var channels = Array.prototype.filter.call(form.querySelectorAll('input[name=publish]'), function (box) { return box.checked; })
              .map(function (box) { return box.value; });
            if (channels.length) fields.publish = channels.join(',');
            var query = Object.keys(fields).map(function (name) { return name + '=' + encodeURIComponent(fields[name]); }).join('&');
            var bar = document.getElementById('upload-progress'), problem = document.getElementById('import-problem');
            var request = new XMLHttpRequest();
            request.open('POST', '/admin/imports/upload?' + query);
            request.setRequestHeader('X-CSRF-Token', form.getAttribute('data-csrf'));
            request.setRequestHeader('Content-Type', 'application/octet-stream');
            request.upload.onprogress = function (progress) { if (progress.lengthComputable) { bar.value = 100 * progress.loaded / progress.total; } };
            request.onload = function () {
              var answer = {};
              try { answer = JSON.parse(request.responseText); } catch (ignored) {}
              if (request.status === 202 && answer.id) { location.href = '/admin/imports/' + answer.id; return; }
              var details = (answer.errors || []).map(function (error) { return error.detail; }).join(' ');
              problem.textContent = (answer.detail || ('HTTP ' + request.status)) + (details ? ' ' + details : '');
              problem.hidden = false;
              bar.hidden = true;
              form.querySelector('button').disabled = false;
            };
            request.onerror = function () { problem.textContent = 'The upload failed.'; problem.hidden = false; form.querySelector('button').disabled = false; };
            problem.hidden = true;
            bar.hidden = false;
            form.querySelector('button').disabled = true;
            request.send(file);
          });
        })();

        // An import job's page follows the job until it ends, then shows how it ended.
        (function () {
          var line = document.querySelector('[data-import-poll]');
          if (!line) return;
          var url = line.getAttribute('data-import-poll');
          function poll() {
            fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (answer) { return answer.json(); }).then(function (job) {
              document.getElementById('import-progress').value = job.percent || 0;
              document.getElementById('import-percent').textContent = Math.round(job.percent || 0) + '%';
              document.getElementById('import-rate').textContent = job.rows_per_second == null ? '–' : Math.round(job.rows_per_second);
              document.getElementById('import-left').textContent = job.seconds_left == null ? '–' : job.seconds_left + ' s';
              ['rows', 'created', 'updated', 'skipped', 'failed'].forEach(function (key) {
                var cell = document.getElementById('count-' + key);
                if (cell && job.counts) cell.textContent = job.counts[key];
              });
              if (job.state === 'queued' || job.state === 'running') { setTimeout(poll, 700); } else { location.reload(); }
            }).catch(function () { setTimeout(poll, 2000); });
          }
          setTimeout(poll, 300);
        })();
        """
}
