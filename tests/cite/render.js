// tests/cite/render.js - render a CSL-JSON file's bibliography with a CSL
// style, offline, as plain text: one entry per line, exactly as the
// citeproc-js vendored beside this file (citeproc_commonjs.js, see
// README.md) prints it in its "text" output format.  The locale files are
// read from the style's directory (locales-LANG.xml).
//
//   node tests/cite/render.js STYLE.csl ITEMS.json
//
// Items are cited in the order of the file, so a numeric style numbers
// them 1, 2, ... in that order.  Exit status 0; 1 (message on stderr) on
// any error, including an entry that spans lines, which would make the
// output ambiguous.  Needs only Node.js (Debian 12's nodejs, 18).
'use strict';

const fs = require('fs');
const path = require('path');
const CSL = require('./citeproc_commonjs.js');

function main(argv) {
    if (argv.length !== 2) {
        process.stderr.write('usage: node render.js <style.csl> <items.json>\n');
        return 1;
    }
    const [styleFile, itemsFile] = argv;
    const dir = path.dirname(styleFile);
    const items = JSON.parse(fs.readFileSync(itemsFile, 'utf8'));
    if (!Array.isArray(items))
        throw new Error(itemsFile + ': not a JSON array');
    const byId = new Map();
    for (const it of items) {
        if (byId.has(it.id))
            throw new Error('duplicate id ' + it.id);
        byId.set(it.id, it);
    }
    const sys = {
        retrieveLocale(lang) {
            const f = path.join(dir, 'locales-' + lang + '.xml');
            return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : false;
        },
        retrieveItem(id) {
            return byId.get(id);
        },
    };
    const engine = new CSL.Engine(sys, fs.readFileSync(styleFile, 'utf8'));
    engine.setOutputFormat('text');
    engine.updateItems(items.map((it) => it.id));
    const [params, entries] = engine.makeBibliography();
    if (params.bibliography_errors.length)
        throw new Error('bibliography errors: '
                        + JSON.stringify(params.bibliography_errors));
    let out = '';
    for (const e of entries) {
        const line = e.replace(/\n$/, '');
        if (line.includes('\n'))
            throw new Error('entry spans lines: ' + JSON.stringify(e));
        out += line + '\n';
    }
    process.stdout.write(out);
    return 0;
}

try {
    process.exitCode = main(process.argv.slice(2));
} catch (e) {
    process.stderr.write('render.js: ' + (e && e.message ? e.message : e) + '\n');
    process.exitCode = 1;
}
