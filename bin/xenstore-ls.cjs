#!/usr/bin/env node
'use strict';
require('./load.cjs')('xl').exports.run('xenstore-ls', process.argv.slice(2));
