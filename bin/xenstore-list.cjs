#!/usr/bin/env node
'use strict';
require('./load.cjs')('xl').exports.run('xenstore-list', process.argv.slice(2));
