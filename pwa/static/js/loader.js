// Attaches behaviour to the page: for each element with data-module="name" (several names may
// be given, space-separated), imports ./name.js and calls its default export with the element.
// The import map in base.html turns ./name.js into its content-hashed URL.
const NAME = /^[a-z][a-z-]*$/;

for (const element of document.querySelectorAll("[data-module]")) {
  for (const name of element.dataset.module.split(/\s+/)) {
    if (!NAME.test(name)) continue;
    import(`./${name}.js`)
      .then((module) => module.default(element))
      .catch((error) => console.error(`module ${name}:`, error));
  }
}
