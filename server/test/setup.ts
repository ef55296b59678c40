import '../lib/exceljs-utf8';
