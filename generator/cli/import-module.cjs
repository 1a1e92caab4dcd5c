// Imports an ES module by its URL. The CLI runs as one CommonJS script compiled with a code cache
// (generator/build/bundle.mjs, bin/hwspec.js), where Node 20 allows import() only through an
// experimental hook; a module node loads itself, as this one, may call it.
module.exports = (url) => import(url);
