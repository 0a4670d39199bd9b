// The yaml parser for code that loads it lazily: `await import('./yaml.js')`, never
// `await import('yaml')`. yaml is CommonJS under Node, and a bundled dynamic import of a CommonJS
// package exposes only its default export; a static re-export keeps the named ones.
export { Document, isScalar, parse, parseAllDocuments, visit } from 'yaml';
