#!/usr/bin/env node
'use strict';
require('./load.cjs')('xl').exports.run('xl', process.argv.slice(2));
