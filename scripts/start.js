// `npm start`: build if needed, then prepare the database and run the API and the worker together.
require('./ensure-build').ensureBuild();
require('../dist/scripts/run.js');
