#!/usr/bin/env node
'use strict';
require('./load.cjs')('xl').exports.run('xenstore-read', process.argv.slice(2));
