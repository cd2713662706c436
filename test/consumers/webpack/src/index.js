// The whole app: the package registers <inr-image>. Built by `webpack` with no configuration
// (entry src/index.js, output dist/main.js).
import 'inrstream';
