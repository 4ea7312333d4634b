/**
 * The task domain: the aggregate, its values, lifecycle, validation, templates and the sending policy. Pure: no I/O, no
 * clock, no threads.
 */
module dev.taskengine.domain {
    requires transitive io.vavr;
    requires com.github.jknack.handlebars;

    exports dev.taskengine.domain;
}
