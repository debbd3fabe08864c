package dev.feedhandler.cli.json;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A summary record's component whose key appears only when it has a value (such as {@code verify} without
 * {@code --verify}); every other null component is written as {@code null}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.METHOD})
public @interface OmittedWhenNull
{
}
