package io.edgeai4j.hardwaretests;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a class of the Jetson hardware suite: skipped unless {@code -Dedgeai4j.hardware=jetson}
 * ({@link HardwareSwitch}); once switched on, a machine the {@link JetsonProbe} finds unfit fails it
 * ({@link JetsonReady}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("hardware")
@ExtendWith({HardwareSwitch.class, JetsonReady.class})
public @interface JetsonHardware {
}
