#!/usr/bin/env node
'use strict';
require('./load.cjs')().exports.run('xl', process.argv.slice(2));
