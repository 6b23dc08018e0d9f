#!/usr/bin/env node
'use strict';
require('./load.cjs')('xl').exports.run('xenstore-rm', process.argv.slice(2));
