/* reader/savedpage.h - the folders browsers save beside a web page.
 *
 * Promise: "Save page as, complete" writes NAME.html and a folder of its
 *          images, scripts and styles beside it: NAME_files (Chrome,
 *          Firefox, IE), NAME.files (older Safari and IE) or NAME_文件
 *          (Chinese IE and 360 browsers); the names other languages' IE
 *          used (NAME-Dateien) are not recognised.  Such a folder holds
 *          no report: a folder walk skips it.
 * Threads: no state; stat()s only. */
#ifndef FZ_SAVEDPAGE_H
#define FZ_SAVEDPAGE_H

/* 1 when dir (a path; a trailing '/' is ignored) is the assets folder of
 * a saved page: its name is NAME_files, NAME.files or NAME_文件 and a
 * regular file NAME.htm, NAME.html, NAME.shtml, NAME.xhtml or NAME.mht
 * (any case of the extension) sits beside it; 0 otherwise (also when dir
 * is not a directory or the name is too long to check). */
int fz_saved_page_assets(const char *dir);

#endif
