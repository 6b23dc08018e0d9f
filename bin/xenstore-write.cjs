#!/usr/bin/env node
'use strict';
require('./load.cjs')('xl').exports.run('xenstore-write', process.argv.slice(2));
