// Builds src/Vc.Credentials/Resources/icvp-catalogue-v1.json from the WHO smart-icvp material in
// shared/testdata/who/icvp (FSH value sets + prequalified_vaccines.csv). Run: node build-icvp-catalogue.mjs [outFile]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const icvp = join(repo, '..', 'shared', 'testdata', 'who', 'icvp');
const read = p => readFileSync(join(icvp, p), 'utf8');

// "* $Alias#CODE "display"" lines of a value set / code system (optionally only one ValueSet block).
function codes(text, valueSet) {
  let body = text;
  if (valueSet) {
    const start = text.indexOf(`ValueSet: ${valueSet}\n`);
    const next = text.indexOf('ValueSet:', start + 10);
    body = text.slice(start, next < 0 ? undefined : next);
  }
  const out = [];
  for (const m of body.matchAll(/^\*\s+(?:\$\w+)?#([^\s"]+)\s+"([^"]*)"/gm)) out.push({ code: m[1], display: m[2].trim() });
  return out;
}

function parseCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/).slice(1)) {
    if (!line.trim()) continue;
    const cells = []; let cur = ''; let q = false;
    for (const ch of line) {
      if (ch === '"') q = !q; else if (ch === ',' && !q) { cells.push(cur); cur = ''; } else cur += ch;
    }
    cells.push(cur);
    rows.push({ date: cells[0], type: cells[1], name: cells[2], presentation: cells[3], doses: cells[4], manufacturer: cells[5], nra: cells[6] });
  }
  return rows;
}

const csv = parseCsv(read('prequalified_vaccines.csv'));
const manufacturers = codes(read('fsh/codesystems/VaccineManufacturer.fsh'));
const diseases = codes(read('fsh/valuesets/DiseaseTargeted.fsh'), 'ICVPDiseaseTargeted');
// The wider DiseaseTargeted value set: what a received ICVP (HCERT v.tg) may name.
const diseasesTargeted = codes(read('fsh/valuesets/DiseaseTargeted.fsh'), 'DiseaseTargeted');
const vaccineTypes = codes(read('fsh/valuesets/ICVPVaccineCodes.fsh'));

// Which disease and ICD-11 vaccine code each prequalified vaccine type maps to.
function classify(type) {
  if (type === 'Yellow Fever') return { disease: '1D47', vaccineType: 'XM0N24' };
  if (type.startsWith('Polio')) return { disease: '1C81', vaccineType: 'XM0N50' };
  if (type.includes('(acellular)') && type.includes('Polio')) return { disease: '1C81', vaccineType: 'XM84S1' };
  if (type.includes('Polio')) return { disease: '1C81', vaccineType: 'XM1LX9' };
  throw new Error('unclassified vaccine type ' + type);
}

const products = codes(read('fsh/valuesets/ICVPProductIds.fsh')).map(({ code, display }) => {
  const row = csv.find(r => (r.date + r.type + r.name + r.presentation + r.doses + r.manufacturer + r.nra) === display);
  if (!row) throw new Error('no prequalification row for ' + code);
  const [d, m, y] = row.date.split('/');
  const mf = manufacturers.find(x => x.display === row.manufacturer);
  return {
    code, vaccineTypeName: row.type, tradeName: row.name, presentation: row.presentation, doses: Number(row.doses),
    manufacturer: row.manufacturer, manufacturerId: mf ? mf.code : null, prequalified: `${y}-${m}-${d}`, ...classify(row.type),
  };
});

const catalogue = {
  version: '1.0.0',
  source: 'WorldHealthOrganization/smart-icvp draft v0.3.0 (ICVPProductIds, ICVPVaccineCodes, ICVPDiseaseTargeted, VaccineManufacturer) + WHO prequalified_vaccines.csv; CC BY-IGO 3.0',
  productSystem: 'http://smart.who.int/pcmt-vaxprequal/CodeSystem/PreQualProductIds',
  icd11System: 'http://id.who.int/icd/release/11/mms',
  diseases, diseasesTargeted, vaccineTypes, products,
};
const out = process.argv[2] ?? join(repo, 'src', 'Vc.Credentials', 'Resources', 'icvp-catalogue-v1.json');
writeFileSync(out, JSON.stringify(catalogue, null, 2) + '\n');
console.log(`wrote ${products.length} products, ${vaccineTypes.length} vaccine codes, ${diseases.length} diseases (${diseasesTargeted.length} targeted) to ${out}`);
