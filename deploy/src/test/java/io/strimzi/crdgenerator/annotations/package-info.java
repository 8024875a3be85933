/**
 * Stand-ins for the schema annotations of Strimzi's CRD generator, which annotate the getters of Strimzi's API model
 * ({@code io.strimzi:api}) with runtime retention but are not published on Maven Central. With these on the test
 * class path, reflection sees the annotations the model classes already carry, and {@code StrimziSchema} checks
 * rendered resources against them: the API versions a property exists in, required properties, patterns and
 * bounds. Only the elements the checks read are declared; the JVM skips the others.
 */
package io.strimzi.crdgenerator.annotations;
