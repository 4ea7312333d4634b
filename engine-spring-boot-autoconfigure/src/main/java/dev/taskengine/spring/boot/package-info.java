/** Spring Boot 4.0 auto-configuration of the task engine ({@code taskengine.*} properties). */
package dev.taskengine.spring.boot;
